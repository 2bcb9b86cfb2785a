/**
 * What the rest of the server needs from the kernel layer. `server/kernels/` implements it on top of
 * `@jupyterlab/services` talking to a Jupyter Server (embedded or remote).
 */
import type { CellId, Completion, ExecutionTiming, Inspection, JSONObject, KernelInfo, MimeBundle, Output } from '../protocol/index.ts';
import type { KernelSpecSummary } from '../protocol/resources.ts';

export type { KernelSpecSummary };

export interface StartKernelOptions {
  /** kernelspec name; the server's default (python3) when absent */
  name?: string;
  /** The notebook's path relative to the workspace; its folder is the kernel's working directory. */
  notebookPath: string;
}

/** The kernel asks for a line of input (`input()`, `getpass()`). */
export interface InputRequest {
  prompt: string;
  /** Don't echo what is typed. */
  password: boolean;
}

/** Receives an execution's progress. Outputs come as the whole current list (already merged and capped). */
export interface ExecutionListener {
  onStart?(): void;
  onOutputs?(outputs: Output[]): void;
  onExecutionCount?(count: number | null): void;
  /**
   * Answers `input()`: the line typed, or null for "no input" (the code gets EOFError). Without it the run has
   * no stdin and `input()` fails at once (nobody could answer: REST and agent runs).
   */
  onInput?(request: InputRequest): Promise<string | null>;
}

export interface ExecutionResult {
  status: 'ok' | 'error' | 'aborted';
  execution_count: number | null;
  outputs: Output[];
  /**
   * Why it is `aborted`/`error` when the outputs don't say: `error` when the kernel failed under it (died, its
   * server vanished), `aborted` when it was stopped on purpose (restart, shutdown).
   */
  message?: string;
  /** When the kernel got busy, announced the code, replied, went idle (see protocol/execution-timing.ts). */
  timing?: ExecutionTiming;
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
  /**
   * Runs code silently (no cell, no history, no execution count, no stdin) and returns its stdout, e.g. for the
   * variable inspector helper. A Python error comes back as `error` (`"NameError: name 'x' is not defined"`); on
   * timeout the kernel is interrupted if the code had started, and `error` says so.
   */
  evaluate?(code: string, options: { timeoutMs: number }): Promise<{ stdout: string; error?: string }>;
  /**
   * Every `update_display_data` the kernel sends, whichever cell (or none) is running: a display can live in a
   * cell that ran earlier. Apply it with `applyDisplayUpdate` from `server/kernels/outputs.ts`.
   */
  onDisplayUpdate?(listener: (update: DisplayUpdate) => void): () => void;
  /**
   * `complete_request` / `inspect_request` (positions in code points). Never throws and never waits longer than
   * `timeoutMs`: an empty answer says why (see protocol/introspect.ts).
   */
  complete?(code: string, cursorPos: number, options: { timeoutMs: number }): Promise<Completion>;
  inspect?(code: string, cursorPos: number, options: { detailLevel: 0 | 1; timeoutMs: number }): Promise<Inspection>;
  interrupt(): Promise<void>;
  restart(): Promise<void>;
  shutdown(): Promise<void>;
  /**
   * Hands a kernel started elsewhere (a warm pool) to the notebook at `notebookPath`: its working directory
   * becomes the notebook's folder, and the server's records name the notebook.
   */
  relocate?(notebookPath: string): Promise<void>;
}

/** An `update_display_data`: new content for every `display_data` output carrying `transient.display_id`. */
export interface DisplayUpdate {
  displayId: string;
  data: MimeBundle;
  metadata: JSONObject;
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
