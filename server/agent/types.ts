/**
 * What the agent needs from a notebook session. `NotebookSession` (server/sessions/) implements it; the agent's
 * tools change the notebook only through `applyEdits`, so every tab sees the agent's work live.
 */
import type { CellId, NotebookDoc, NotebookEdit } from '../protocol/index.ts';
import type { ExecutionResult } from '../kernels/types.ts';

export interface RunCellOptions {
  /** Interrupt the kernel after this long; the result then carries the partial outputs. */
  timeoutMs: number;
  /**
   * The agent's Stop: when it aborts while this run executes, the notebook interrupts the kernel (once; the
   * agent does not interrupt again, so the person's next queued cell is safe).
   */
  signal?: AbortSignal;
}

export interface AgentNotebook {
  /** The notebook's path relative to the workspace. */
  readonly path: string;
  /** The current document (immutable value; re-read after each edit). */
  doc(): NotebookDoc;
  /** Applies edits as one step, attributed to the agent; throws `EditError` when one doesn't fit. */
  applyEdits(edits: NotebookEdit[]): void;
  /** Runs one code cell through the notebook's execution queue. `timedOut` is set when the timeout fired. */
  runCell(id: CellId, options: RunCellOptions): Promise<ExecutionResult & { timedOut?: boolean }>;
  interrupt(): Promise<void>;
  /**
   * Runs code silently in the kernel (no cell, no history, no execution count) and returns its stdout, e.g. for
   * the variable inspector helper in `kernels/`.
   */
  evaluateSilently(code: string, options: { timeoutMs: number }): Promise<{ stdout: string; error?: string }>;
  /** Lists files of the workspace folder that holds the notebook (relative paths, sizes). */
  listFiles(): Promise<{ path: string; size: number; kind: 'file' | 'directory' }[]>;
}
