/**
 * One notebook's execution queue. Cells run strictly one after another, in the order they were asked for; when a
 * cell fails (an error, an interrupt, a kernel that died), the cells still waiting are not run: they resolve
 * `aborted`, as in JupyterLab, since they usually depend on the one that failed.
 */
import type { CellId, Output } from '../protocol/index.ts';
import type { CellRun, ExecutionResult, InputRequest, KernelHandle } from './types.ts';

/** Progress of every cell of a `run`, by cell id. */
export interface QueueListener {
  onQueued?(id: CellId): void;
  /** The cell was sent to the kernel. */
  onStart?(id: CellId): void;
  /** The cell's whole current output list (merged and capped). */
  onOutputs?(id: CellId, outputs: Output[]): void;
  onExecutionCount?(id: CellId, count: number | null): void;
  /**
   * Called exactly once per queued cell, also for aborted ones; `started` says whether its code was sent (the
   * same cell may be queued again while it runs: an entry that never started is not the running one).
   */
  onDone?(id: CellId, result: ExecutionResult, run: { started: boolean }): void;
  /** Answers the cell's `input()` (see `ExecutionListener.onInput`); without it the cell has no stdin. */
  onInput?(id: CellId, request: InputRequest): Promise<string | null>;
}

/** The kernel, or how to get it (e.g. start it on first use): cells queue while it starts. */
export type KernelSource = KernelHandle | (() => Promise<KernelHandle>);

interface Entry {
  cell: CellRun;
  listener: QueueListener;
  resolve: (result: ExecutionResult) => void;
  /** Set when `cancelAll` hits the entry while the kernel is being fetched, before the code was sent. */
  canceled?: string;
  /** The code was sent to the kernel. */
  started?: boolean;
}

/**
 * @example
 *   const queue = new ExecutionQueue(kernel);
 *   const results = await queue.run([{ id: a, code: 'x = 1' }, { id: b, code: 'x + 1' }], listener);
 *   results.get(b)?.status // 'ok', or 'aborted' if cell a failed
 */
export class ExecutionQueue {
  readonly #kernel: KernelSource;
  readonly #pending: Entry[] = [];
  #current: Entry | undefined;
  #pumping = false;

  constructor(kernel: KernelSource) {
    this.#kernel = kernel;
  }

  /** The cell being run now. */
  get running(): CellId | undefined {
    return this.#current?.cell.id;
  }

  /** The cells waiting, in order. */
  get queued(): CellId[] {
    return this.#pending.map((entry) => entry.cell.id);
  }

  /**
   * Appends cells to the queue; resolves when each of them has ended (ran, failed or was aborted), with their
   * results by cell id in the order given.
   */
  run(cells: CellRun[], listener: QueueListener = {}): Promise<Map<CellId, ExecutionResult>> {
    const results = cells.map(
      (cell) => new Promise<ExecutionResult>((resolve) => this.#pending.push({ cell, listener, resolve })),
    );
    for (const cell of cells) notify(() => listener.onQueued?.(cell.id));
    void this.#pump();
    return Promise.all(results).then((all) => new Map(cells.map((cell, i) => [cell.id, all[i] ?? aborted('')])));
  }

  /**
   * Resolves every waiting cell `aborted` with `reason` (e.g. before a restart). The running cell is left alone:
   * the restart or interrupt that follows ends it.
   */
  cancelAll(reason: string): void {
    if (this.#current && this.#current.canceled === undefined) this.#current.canceled = reason;
    this.#abortPending(reason);
  }

  /**
   * Resolves every cell still waiting `aborted` with `reason` (an interrupt: in a run of many quick cells it may
   * land between two of them and stop nothing, so what is left of the run is dropped here). The running cell is
   * left to the interrupt.
   */
  abortWaiting(reason: string): void {
    if (this.#current && !this.#current.started && this.#current.canceled === undefined) this.#current.canceled = reason;
    this.#abortPending(reason);
  }

  /**
   * Takes one cell out of the queue before it starts (resolving it `aborted` with `reason`); false when it is not
   * waiting (already running or done). Cells queued after it are left alone.
   */
  cancel(id: CellId, reason: string): boolean {
    if (this.#current?.cell.id === id && this.#current.canceled === undefined && !this.#current.started) {
      this.#current.canceled = reason;
      return true;
    }
    const index = this.#pending.findIndex((entry) => entry.cell.id === id);
    if (index < 0) return false;
    const [entry] = this.#pending.splice(index, 1);
    if (entry) finish(entry, aborted(reason));
    return true;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (let entry = this.#pending.shift(); entry; entry = this.#pending.shift()) {
        this.#current = entry;
        const result = await this.#runOne(entry);
        this.#current = undefined;
        finish(entry, result);
        // A canceled entry's followers were aborted by `cancelAll` already; those queued since are new requests.
        if (result.status !== 'ok' && entry.canceled === undefined) {
          this.#abortPending(notRunBecause(entry.cell.id, result));
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #runOne(entry: Entry): Promise<ExecutionResult> {
    let kernel: KernelHandle;
    try {
      kernel = typeof this.#kernel === 'function' ? await this.#kernel() : this.#kernel;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ...aborted(`The kernel is not available: ${reason}`), status: 'error' };
    }
    if (entry.canceled !== undefined) return aborted(entry.canceled);
    const { cell, listener } = entry;
    entry.started = true;
    notify(() => listener.onStart?.(cell.id));
    try {
      const onInput = listener.onInput;
      return await kernel.execute(cell.code, {
        onOutputs: (outputs) => notify(() => listener.onOutputs?.(cell.id, outputs)),
        onExecutionCount: (count) => notify(() => listener.onExecutionCount?.(cell.id, count)),
        ...(onInput ? { onInput: (request: InputRequest) => onInput(cell.id, request) } : {}),
      });
    } catch (error) {
      // `execute` resolves for Python errors; a rejection means the connection itself failed.
      const reason = error instanceof Error ? error.message : String(error);
      return { ...aborted(reason), status: 'error' };
    }
  }

  #abortPending(reason: string): void {
    for (const entry of this.#pending.splice(0)) finish(entry, aborted(reason));
  }
}

function finish(entry: Entry, result: ExecutionResult): void {
  entry.resolve(result);
  notify(() => entry.listener.onDone?.(entry.cell.id, result, { started: entry.started === true }));
}

function aborted(message: string): ExecutionResult {
  return { status: 'aborted', execution_count: null, outputs: [], message };
}

function notRunBecause(id: CellId, result: ExecutionResult): string {
  const interrupted = result.outputs.some((o) => o.output_type === 'error' && o.ename === 'KeyboardInterrupt');
  if (interrupted) return `Not run because cell ${id} was interrupted`;
  const raised = result.outputs.some((o) => o.output_type === 'error');
  if (result.status === 'error' && (raised || !result.message)) return `Not run because cell ${id} raised an error`;
  return `Not run because cell ${id} did not finish: ${result.message ?? 'aborted'}`;
}

/** A listener's bug must not stall the queue (every later cell would wait forever). */
function notify(call: () => void): void {
  try {
    call();
  } catch (error) {
    console.error('ExecutionQueue listener failed:', error);
  }
}
