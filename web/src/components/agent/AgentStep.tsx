import { Show, type JSX } from 'solid-js';
import type { CellId } from '../../../../server/protocol/ids.ts';
import { escapeBidiControls } from '../../../../server/protocol/visible-name.ts';
import { stepLabel, useNotebook, type StepStatus, type TurnStep } from '../../state/index.ts';

const STATUS_NAMES: Record<StepStatus, string> = {
  writing: 'in progress',
  running: 'in progress',
  ok: 'done',
  error: 'failed',
  cancelled: 'stopped',
};

/**
 * One tool call as a compact row: what the assistant does ("Running cell [3]"), how it went, and for a failure
 * the server's one-line summary. A row about a cell that is still in the notebook is a button that goes to it.
 */
export function AgentStep(props: { step: TurnStep }): JSX.Element {
  const nb = useNotebook();
  const cellNumber = (id: CellId) => {
    const index = nb.state.doc?.cells.findIndex((cell) => cell.id === id) ?? -1;
    return index >= 0 ? index + 1 : null;
  };
  const label = () => stepLabel(props.step, cellNumber);
  const text = () => `${label().text}${label().inProgress ? '…' : ''}`;

  return (
    <div class="agent-step" data-tool={props.step.name} data-status={props.step.status} title={escapeBidiControls(props.step.summary ?? '')}>
      <span class="agent-step-mark" role="img" aria-label={STATUS_NAMES[props.step.status]} title={STATUS_NAMES[props.step.status]} />
      <Show when={label().cellId} fallback={<span class="agent-step-label">{text()}</span>}>
        {(id) => (
          <button type="button" class="agent-step-label agent-step-link" title="Go to the cell" onClick={() => nb.select(id(), 'command')}>
            {text()}
          </button>
        )}
      </Show>
      {/* What went wrong is worth reading at once; a success's summary ("ran cell 3f1c… [2]: ok") stays in the tooltip. */}
      <Show when={props.step.status === 'error' && props.step.summary}>
        {(summary) => <span class="agent-step-summary">{escapeBidiControls(summary())}</span>}
      </Show>
    </div>
  );
}
