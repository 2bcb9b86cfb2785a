import { createMemo, createSignal, Match, onCleanup, Switch, type JSX } from 'solid-js';
import { readRunSpan } from '../../../server/protocol/execution-timing.ts';
import type { CellDoc, CellRuntime } from '../../../server/protocol/notebook.ts';
import { describeRun, formatDuration, formatEnd } from './run-time.ts';

/**
 * How long a code cell's run takes, beside its prompt: the running cell's time ticking (from the server's start),
 * a finished cell's duration and when it ended, read from `metadata.execution` (kept as JupyterLab keeps it, so
 * it is there after a reload and for notebooks run in JupyterLab with its cell timing on).
 */
export function CellTiming(props: { cell: CellDoc; runtime: CellRuntime | undefined }): JSX.Element {
  const startedAt = () => (props.runtime?.status === 'running' ? props.runtime.started_at : undefined);
  const span = createMemo(() => (props.cell.cell_type === 'code' ? readRunSpan(props.cell.metadata) : null));
  return (
    <Switch>
      <Match when={startedAt()}>{(start) => <Ticking startedAt={start()} />}</Match>
      <Match when={span()}>
        {(run) => (
          <span class="cell-timing" data-timing={run().failed ? 'failed' : 'done'} title={describeRun(run())}>
            <span class="cell-timing-took">{formatDuration(run().endedAt - run().startedAt)}</span>
            <span class="cell-timing-when">{formatEnd(run().endedAt)}</span>
          </span>
        )}
      </Match>
    </Switch>
  );
}

/** The time since `startedAt`, redrawn every tenth of a second while shown. */
function Ticking(props: { startedAt: number }): JSX.Element {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 100);
  onCleanup(() => clearInterval(timer));
  return (
    <span class="cell-timing" data-timing="running" title={`Running since ${new Date(props.startedAt).toLocaleTimeString()}`}>
      <span class="cell-timing-took">{formatDuration(now() - props.startedAt, { ticking: true })}</span>
    </span>
  );
}
