/**
 * The runs of a notebook's cells as the tabs see them: each cell's runtime (queued, running, ended, waiting for
 * input) and its outputs while it runs. Output floods are coalesced: the tabs get a cell's latest outputs at most
 * every `flushMs`. Only a cell that reached the kernel gets its final outputs; one dropped from the queue keeps
 * its old ones. A cell can be queued again while it runs (run it twice, or a person and the assistant both run
 * it): it shows `running` until that run ends, and a waiting run of it dropped meanwhile changes nothing shown.
 */
import { EXECUTION_METADATA_KEY, type CellId, type CellRuntime, type JSONObject, type NotebookEdit, type Output, type ServerMessage } from '../protocol/index.ts';
import type { ExecutionResult } from '../kernels/types.ts';
import type { QueueListener } from '../kernels/execute.ts';

export interface CellRunsOptions {
  /** Applies kernel-driven edits; edits to cells deleted meanwhile are the caller's to drop. */
  apply(edits: NotebookEdit[]): void;
  /** Tells every tab. */
  send(message: ServerMessage): void;
  flushMs: number;
  /** A run ended (before its final outputs are applied), e.g. to cancel its pending `input()`. */
  onEnd?(id: CellId): void;
  /** The cell's metadata now (undefined once deleted), to record a run's timing in it. */
  metadataOf?(id: CellId): JSONObject | undefined;
}

export class CellRuns {
  readonly #options: CellRunsOptions;
  readonly #runtime = new Map<CellId, CellRuntime>();
  readonly #pending = new Map<CellId, Output[]>();
  /** Cells sent to the kernel whose run has not ended yet. */
  readonly #started = new Set<CellId>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** What the execution queue reports, turned into runtimes and edits. */
  readonly listener: QueueListener = {
    onQueued: (id) => {
      if (!this.#started.has(id)) this.set(id, { status: 'queued' });
    },
    onStart: (id) => {
      this.#started.add(id);
      this.#pending.delete(id);
      this.#options.apply([{ type: 'clear_outputs', ids: [id] }]);
      this.set(id, { status: 'running', started_at: Date.now() });
    },
    onOutputs: (id, outputs) => this.queueOutputs(id, outputs),
    onExecutionCount: (id, count) => this.#options.apply([{ type: 'set_execution_count', id, execution_count: count }]),
    onDone: (id, result, { started }) => {
      // A waiting run dropped while another run of the cell goes on: that one is what the cell shows.
      if (started || !this.#started.has(id)) this.#finish(id, result);
    },
  };

  constructor(options: CellRunsOptions) {
    this.#options = options;
  }

  runtimeOf(id: CellId): CellRuntime | undefined {
    return this.#runtime.get(id);
  }

  /** Every cell's runtime, for a snapshot. */
  all(): Record<string, CellRuntime> {
    return Object.fromEntries(this.#runtime);
  }

  set(id: CellId, runtime: CellRuntime): void {
    this.#runtime.set(id, runtime);
    this.#options.send({ type: 'runtime', cell_id: id, runtime });
  }

  /** The cell is gone from the document. */
  forget(id: CellId): void {
    this.#runtime.delete(id);
  }

  /** Keeps only the runtimes of cells for which `keep` holds (after the document was replaced). */
  retain(keep: (id: CellId) => boolean): void {
    for (const id of this.#runtime.keys()) if (!keep(id)) this.#runtime.delete(id);
  }

  isRunning(id: CellId): boolean {
    return this.#started.has(id);
  }

  pendingOutputs(id: CellId): Output[] | undefined {
    return this.#pending.get(id);
  }

  get hasPendingOutputs(): boolean {
    return this.#pending.size > 0;
  }

  queueOutputs(id: CellId, outputs: Output[]): void {
    this.#pending.set(id, outputs);
    this.#timer ??= setTimeout(() => this.flush(), this.#options.flushMs);
  }

  /** Applies the outputs held back by coalescing now. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [id, outputs] of pending) this.#options.apply([{ type: 'set_outputs', id, outputs }]);
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #finish(id: CellId, result: ExecutionResult): void {
    this.#options.onEnd?.(id);
    this.#pending.delete(id);
    const runtime = this.#runtime.get(id);
    if (this.#started.delete(id)) {
      const edits: NotebookEdit[] = [
        { type: 'set_outputs', id, outputs: result.outputs },
        { type: 'set_execution_count', id, execution_count: result.execution_count },
      ];
      // Kept in the notebook as JupyterLab's `recordTiming` keeps it, so it survives a reload (the kernel's edit:
      // every tab gets it, and it is nobody's undo step).
      const metadata = this.#options.metadataOf?.(id);
      if (result.timing && metadata) edits.push({ type: 'set_cell_metadata', id, metadata: { ...metadata, [EXECUTION_METADATA_KEY]: result.timing } });
      this.#options.apply(edits);
    }
    const ended: CellRuntime = { status: result.status, ended_at: Date.now() };
    if (runtime?.started_at !== undefined) ended.started_at = runtime.started_at;
    if (result.message) ended.message = result.message;
    this.set(id, ended);
  }
}
