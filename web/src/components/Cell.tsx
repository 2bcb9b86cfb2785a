import { createEffect, createMemo, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { CellDoc } from '../../../server/protocol/notebook.ts';
import { agentCellInfo, describeRunMessage, editCell, executionPrompt, isActive, useNotebook } from '../state/index.ts';
import { selectTo } from '../state/cell-commands.ts';
import { CellAgentBadge } from './CellAgentBadge.tsx';
import { CellEditor } from './CellEditor.tsx';
import { CellInput } from './CellInput.tsx';
import { CellReview } from './CellReview.tsx';
import { CellTiming } from './CellTiming.tsx';
import { CellToolbar } from './CellToolbar.tsx';
import { isFolded } from '../state/folding.ts';
import { FoldedNote, FoldToggle } from './HeadingFold.tsx';
import { MarkdownView } from './MarkdownView.tsx';
import { Outputs, type OutputActions } from './outputs/Outputs.tsx';
import { explainOutput, fixCell } from './agent/one-click.ts';

const TYPE_NAMES = { code: 'Code', markdown: 'Markdown', raw: 'Raw' } as const;

/** One cell: prompt, editor (or rendered markdown), outputs, toolbar. See Notebook.tsx for the stable selectors. */
export function Cell(props: { cell: CellDoc; index: number; count: number }): JSX.Element {
  const nb = useNotebook();
  const id = props.cell.id;
  let element: HTMLElement | undefined;

  const isSelected = () => nb.state.ui.selected === id;
  const runtime = () => nb.state.runtime[id];
  const status = () => runtime()?.status ?? 'idle';
  const showsEditor = () => props.cell.cell_type !== 'markdown' || nb.state.ui.editingMarkdown[id] === true;
  const outputs = () => (props.cell.cell_type === 'code' ? props.cell.outputs : null);
  // The runtime's message with cells named as people see them ("cell [3]"), for the note and the tooltip.
  const runMessage = () => {
    const message = runtime()?.message;
    return message ? describeRunMessage(message, nb.state.doc?.cells ?? []) : undefined;
  };
  // Why a run failed when its outputs don't say (kernel died, not run because an earlier cell failed…).
  const runProblem = () => {
    const hasErrorOutput = outputs()?.some((output) => output.output_type === 'error') ?? false;
    return (status() === 'error' || status() === 'aborted') && !hasErrorOutput ? runMessage() : undefined;
  };
  const input = () => runtime()?.input;
  const agent = createMemo(() => agentCellInfo(props.cell.metadata));
  const review = () => agent().review;
  // A memo compares values: other metadata changes don't rebuild the diff.
  const reviewOriginal = createMemo(() => review()?.previousSource ?? null);
  const attachments = () => (props.cell.cell_type === 'code' ? undefined : props.cell.attachments);
  const outputActions: OutputActions = { fix: () => fixCell(nb, id), explain: () => explainOutput(nb, id) };

  // Command mode keeps keyboard focus on the selected cell itself, so notebook keys (arrows, A, B, DD…) work.
  createEffect(() => {
    if (!element || !isSelected() || nb.state.ui.mode !== 'command') return;
    const active = document.activeElement;
    const inEditor = active instanceof Element && active.closest('.cm-editor') !== null;
    // Typing to the assistant while it changes the notebook (and so the selection) keeps the focus in the panel.
    const inPanel = active instanceof Element && active.closest('[data-panel]') !== null;
    // Scrolling it into view is the list's (cell-list/CellList.tsx), which knows where unrendered cells are.
    if (!inPanel && (!element.contains(active) || inEditor)) element.focus({ preventScroll: true });
  });

  const onMouseDown = (event: MouseEvent) => {
    const target = event.target;
    // Clicks inside the editor select through the editor's focus handler (in edit mode).
    if (target instanceof Element && target.closest('.cm-editor')) return;
    // The toolbar of one of several selected cells acts on all of them (Move up/down): the selection stays.
    if (nb.isMultiSelected(id) && target instanceof Element && target.closest('.cell-toolbar')) return;
    // A plain click selects this cell alone.
    if (!isSelected() || nb.selectedIds().length > 1) nb.select(id, 'command');
  };
  // Shift+click selects a range, also on the editor: taken before CodeMirror would focus it (and so select it alone).
  const onShiftMouseDown = (event: MouseEvent) => {
    if (!event.shiftKey || event.button !== 0 || (isSelected() && nb.state.ui.mode === 'edit')) return;
    event.preventDefault();
    event.stopPropagation();
    selectTo(nb, id);
  };
  onMount(() => element?.addEventListener('mousedown', onShiftMouseDown, true));
  onCleanup(() => element?.removeEventListener('mousedown', onShiftMouseDown, true));

  return (
    <article
      ref={element}
      class="cell"
      classList={{
        'is-selected': isSelected(),
        'is-multi-selected': nb.isMultiSelected(id),
        'is-editing': isSelected() && nb.state.ui.mode === 'edit',
        'is-running': status() === 'running',
        'is-queued': status() === 'queued',
        'is-error': status() === 'error',
        'is-aborted': status() === 'aborted',
        'is-agent': agent().author !== null,
        'is-under-review': review() !== null,
        'is-folded': isFolded(props.cell),
      }}
      data-cell-id={id}
      data-cell-type={props.cell.cell_type}
      data-run-status={status()}
      tabIndex={isSelected() ? 0 : -1}
      aria-label={`${TYPE_NAMES[props.cell.cell_type]} cell ${props.index + 1}`}
      // The windowed list keeps rendered cells in the order they appeared (moving a node would blur its editor):
      // the position in the notebook is told here, for assistive technology and tests alike.
      aria-posinset={props.index + 1}
      aria-setsize={props.count}
      aria-busy={isActive(runtime())}
      onMouseDown={onMouseDown}
    >
      <div class="cell-prompt" title={runMessage() ?? ''}>
        {executionPrompt(props.cell, runtime())}
        <Show when={status() === 'aborted' && props.cell.cell_type === 'code'}>
          <span class="not-run-badge" title={runMessage() ?? 'Not run'}>
            Not run
          </span>
        </Show>
        <CellTiming cell={props.cell} runtime={runtime()} />
        <Show when={agent().author}>{(author) => <CellAgentBadge author={author()} />}</Show>
        <FoldToggle cell={props.cell} />
      </div>
      <div class="cell-main">
        <Show when={review()}>{(current) => <CellReview cellId={id} review={current()} />}</Show>
        <Show
          when={showsEditor() || review() !== null}
          fallback={<MarkdownView source={props.cell.source} attachments={attachments()} onEdit={() => editCell(nb, id)} />}
        >
          <CellEditor cell={props.cell} index={props.index} reviewOriginal={reviewOriginal()} />
        </Show>
        <FoldedNote cell={props.cell} />
        <Show when={outputs()}>{(list) => <Outputs outputs={list()} actions={outputActions} />}</Show>
        <Show when={input()}>{(request) => <CellInput cellId={id} prompt={request().prompt} password={request().password} />}</Show>
        <Show when={runProblem()}>
          {(message) => (
            <p class="output-warning run-problem" classList={{ 'is-failure': status() === 'error' }} role="note" data-run-note={status()}>
              {message()}
            </p>
          )}
        </Show>
      </div>
      <CellToolbar cell={props.cell} index={props.index} count={props.count} />
    </article>
  );
}
