import { afterEach, describe, expect, it, vi } from 'vitest';
import { CellId, type NotebookEdit, type Output, type ServerMessage } from '../protocol/index.ts';
import { CellRuns } from './cell-runs.ts';

const a = CellId.from('a');
const b = CellId.from('b');
const out = (text: string): Output[] => [{ output_type: 'stream', name: 'stdout', text }];

function setup() {
  const applied: NotebookEdit[] = [];
  const sent: ServerMessage[] = [];
  const runs = new CellRuns({ apply: (edits) => applied.push(...edits), send: (m) => sent.push(m), flushMs: 50 });
  const statuses = (id: CellId) => sent.flatMap((m) => (m.type === 'runtime' && m.cell_id === id ? [m.runtime.status] : []));
  return { runs, applied, sent, statuses };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CellRuns', () => {
  it('coalesces a flood of outputs into one update per interval, the latest one', () => {
    vi.useFakeTimers();
    const { runs, applied } = setup();
    runs.listener.onStart?.(a);
    for (let i = 1; i <= 100; i++) runs.listener.onOutputs?.(a, out(`${i}\n`));
    expect(applied.filter((e) => e.type === 'set_outputs')).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(applied.filter((e) => e.type === 'set_outputs')).toEqual([{ type: 'set_outputs', id: a, outputs: out('100\n') }]);
  });

  it('gives a finished cell its final outputs, count and status, and drops what was held back', () => {
    vi.useFakeTimers();
    const { runs, applied, statuses } = setup();
    runs.listener.onQueued?.(a);
    runs.listener.onStart?.(a);
    runs.listener.onOutputs?.(a, out('partial'));
    runs.listener.onDone?.(a, { status: 'ok', execution_count: 3, outputs: out('final') }, { started: true });
    vi.advanceTimersByTime(100);
    expect(applied).toEqual([
      { type: 'clear_outputs', ids: [a] },
      { type: 'set_outputs', id: a, outputs: out('final') },
      { type: 'set_execution_count', id: a, execution_count: 3 },
    ]);
    expect(statuses(a)).toEqual(['queued', 'running', 'ok']);
    expect(runs.runtimeOf(a)).toMatchObject({ status: 'ok', started_at: expect.any(Number), ended_at: expect.any(Number) });
  });

  it('leaves the outputs of a cell dropped from the queue alone, and says why', () => {
    const { runs, applied, statuses } = setup();
    runs.listener.onQueued?.(b);
    runs.listener.onDone?.(b, { status: 'aborted', execution_count: null, outputs: [], message: 'Not run because cell a raised an error' }, { started: false });
    expect(applied).toEqual([]);
    expect(statuses(b)).toEqual(['queued', 'aborted']);
    expect(runs.all()).toEqual({ b: { status: 'aborted', ended_at: expect.any(Number), message: 'Not run because cell a raised an error' } });
  });

  it('shows a running cell queued again as running, and its next run after the first ends', () => {
    const { runs, statuses } = setup();
    runs.listener.onQueued?.(a);
    runs.listener.onStart?.(a);
    runs.listener.onQueued?.(a);
    expect(runs.runtimeOf(a)?.status).toBe('running');
    runs.listener.onDone?.(a, { status: 'ok', execution_count: 1, outputs: out('one') }, { started: true });
    expect(runs.runtimeOf(a)).toMatchObject({ status: 'ok', started_at: expect.any(Number) });
    runs.listener.onStart?.(a);
    runs.listener.onDone?.(a, { status: 'ok', execution_count: 2, outputs: out('two') }, { started: true });
    expect(statuses(a)).toEqual(['queued', 'running', 'ok', 'running', 'ok']);
  });

  it('leaves a running cell alone when another run of it is dropped from the queue', () => {
    vi.useFakeTimers();
    const { runs, applied, statuses } = setup();
    runs.listener.onQueued?.(a);
    runs.listener.onStart?.(a);
    runs.listener.onQueued?.(a);
    runs.listener.onOutputs?.(a, out('partial'));
    runs.listener.onDone?.(a, { status: 'aborted', execution_count: null, outputs: [], message: 'Timed out' }, { started: false });
    expect(runs.runtimeOf(a)?.status).toBe('running');
    vi.advanceTimersByTime(50);
    runs.listener.onOutputs?.(a, out('partial, more'));
    runs.listener.onDone?.(a, { status: 'ok', execution_count: 4, outputs: out('final') }, { started: true });
    expect(applied).toEqual([
      { type: 'clear_outputs', ids: [a] },
      { type: 'set_outputs', id: a, outputs: out('partial') },
      { type: 'set_outputs', id: a, outputs: out('final') },
      { type: 'set_execution_count', id: a, execution_count: 4 },
    ]);
    expect(statuses(a)).toEqual(['queued', 'running', 'ok']);
  });

  it("records a run's timing in the cell's metadata, keeping the rest, as JupyterLab's recordTiming does", () => {
    const metadata = { tags: ['keep'], execution: { 'iopub.status.busy': 'an older run' } };
    const applied: NotebookEdit[] = [];
    const runs = new CellRuns({ apply: (edits) => applied.push(...edits), send: () => {}, flushMs: 50, metadataOf: (id) => (id === a ? metadata : undefined) });
    const timing = {
      'iopub.status.busy': '2026-03-02T14:03:11.052Z',
      'iopub.execute_input': '2026-03-02T14:03:11.053Z',
      'shell.execute_reply': '2026-03-02T14:03:12.254Z',
      'iopub.status.idle': '2026-03-02T14:03:12.256Z',
    };
    runs.listener.onStart?.(a);
    runs.listener.onDone?.(a, { status: 'ok', execution_count: 1, outputs: [], timing }, { started: true });
    expect(applied.at(-1)).toEqual({ type: 'set_cell_metadata', id: a, metadata: { tags: ['keep'], execution: timing } });
    // A cell deleted meanwhile (no metadata) or a run that never reached the kernel records nothing.
    applied.length = 0;
    runs.listener.onStart?.(b);
    runs.listener.onDone?.(b, { status: 'ok', execution_count: 1, outputs: [], timing }, { started: true });
    runs.listener.onDone?.(a, { status: 'aborted', execution_count: null, outputs: [], timing }, { started: false });
    expect(applied.filter((edit) => edit.type === 'set_cell_metadata')).toEqual([]);
  });

  it('flushes held outputs on demand and forgets deleted cells', () => {
    const { runs, applied } = setup();
    runs.listener.onStart?.(a);
    runs.queueOutputs(a, out('x'));
    expect(runs.hasPendingOutputs).toBe(true);
    runs.flush();
    expect(runs.hasPendingOutputs).toBe(false);
    expect(applied.at(-1)).toEqual({ type: 'set_outputs', id: a, outputs: out('x') });
    runs.forget(a);
    expect(runs.runtimeOf(a)).toBeUndefined();
    runs.dispose();
  });
});
