/**
 * What the rest of the server needs from the kernel layer. `server/kernels/` implements it on top of
 * `@jupyterlab/services` talking to a Jupyter Server (embedded or remote).
 */
import type { CellId, KernelInfo, Output } from '../protocol/index.ts';

export interface KernelSpecSummary {
  name: string;
  display_name: string;
  language: string;
}

export interface StartKernelOptions {
  /** kernelspec name; the server's default (python3) when absent */
  name?: string;
  /** The notebook's path relative to the workspace; its folder is the kernel's working directory. */
  notebookPath: string;
}

/** Receives an execution's progress. Outputs come as the whole current list (already merged and capped). */
export interface ExecutionListener {
  onStart?(): void;
  onOutputs?(outputs: Output[]): void;
  onExecutionCount?(count: number | null): void;
}

export interface ExecutionResult {
  status: 'ok' | 'error' | 'aborted';
  execution_count: number | null;
  outputs: Output[];
  /** Why it is `aborted`/`error` when the outputs don't say (kernel died, interrupted, restarted). */
  message?: string;
}

/** One live kernel, owned by one notebook session. */
export interface KernelHandle {
  readonly id: string;
  readonly name: string;
  readonly info: KernelInfo;
  /** Subscribe to state changes; returns the unsubscribe function. */
  onInfo(listener: (info: KernelInfo) => void): () => void;
  /**
   * Runs code; resolves when both `execute_reply` and `status: idle` for this request have arrived. Never
   * rejects for a Python error (status `error`); resolves `aborted` when the kernel restarts or dies meanwhile.
   */
  execute(code: string, listener?: ExecutionListener): Promise<ExecutionResult>;
  interrupt(): Promise<void>;
  restart(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface KernelProvider {
  startKernel(options: StartKernelOptions): Promise<KernelHandle>;
  listKernelSpecs(): Promise<{ default: string; specs: KernelSpecSummary[] }>;
  dispose(): Promise<void>;
}

/** One cell's run request in an execution queue. */
export interface CellRun {
  id: CellId;
  code: string;
}
