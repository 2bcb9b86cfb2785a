/**
 * A notebook's kernel, started on first need (or warmed up when a tab opens), with its execution queue.
 * Starting failures become a visible kernel state and failed cells, never an unhandled rejection.
 */
import { noCompletion, noInspection, type CellId, type Completion, type Inspection, type KernelInfo } from '../protocol/index.ts';
import type { CellRun, DisplayUpdate, ExecutionResult, KernelHandle, KernelProvider } from '../kernels/types.ts';
import { ExecutionQueue, type QueueListener } from '../kernels/execute.ts';
import { withTimeout } from '../kernels/broker.ts';

export interface SessionKernelOptions {
  provider: KernelProvider;
  notebookPath: string;
  kernelName: () => string | undefined;
  onInfo: (info: KernelInfo) => void;
  listener: QueueListener;
  /** Display updates from the kernel, for displays shown by any cell (see `KernelHandle.onDisplayUpdate`). */
  onDisplayUpdate?: (update: DisplayUpdate) => void;
}

/** How long a replaced kernel may take to shut down before the new one starts anyway. */
const REPLACE_SHUTDOWN_MS = 10_000;

/** How long the editor's completion or documentation may wait for the kernel (a slow first completion: ~1 s). */
export const INTROSPECT_TIMEOUT_MS = 5_000;

/** What a cell's editor may ask the kernel (see protocol/introspect.ts). */
export interface KernelIntrospection {
  complete(code: string, cursorPos: number): Promise<Completion>;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<Inspection>;
}

export class SessionKernel implements KernelIntrospection {
  readonly #options: SessionKernelOptions;
  #handle: KernelHandle | undefined;
  #starting: Promise<KernelHandle> | undefined;
  #unsubscribe: (() => void) | undefined;
  #info: KernelInfo = { state: 'not_started' };
  readonly #queue: ExecutionQueue;
  #disposed = false;

  constructor(options: SessionKernelOptions) {
    this.#options = options;
    this.#queue = new ExecutionQueue(() => this.#ensure());
  }

  get info(): KernelInfo {
    return this.#info;
  }

  warmUp(): void {
    this.#ensure().catch(() => {
      /* reported through the kernel state */
    });
  }

  /** Queues cells; `extra` hears this run's progress too (after the session's own listener). */
  run(runs: CellRun[], extra?: QueueListener): Promise<Map<CellId, ExecutionResult>> {
    return this.#queue.run(runs, extra ? mergeListeners(this.#options.listener, extra) : this.#options.listener);
  }

  /** Takes a cell out of the queue if it has not started yet. */
  cancel(id: CellId, reason: string): boolean {
    return this.#queue.cancel(id, reason);
  }

  /** Interrupts the running cell and drops the cells waiting behind it, as JupyterLab's interrupt of a Run all does. */
  async interrupt(): Promise<void> {
    this.#queue.abortWaiting('Not run because the kernel was interrupted');
    await this.#handle?.interrupt();
  }

  /**
   * Restarts the kernel. A dead kernel, or one of another kernelspec than the notebook's metadata names now
   * (the kernel was switched), is replaced by a new one instead.
   */
  async restart(): Promise<void> {
    this.#queue.cancelAll('Kernel restarted');
    const handle = this.#handle;
    if (handle && handle.info.state !== 'dead' && !this.#wantsOtherSpec(handle)) {
      await handle.restart();
      return;
    }
    if (this.#starting) await this.#starting.catch(() => undefined);
    this.#handle = undefined;
    await this.#ensure(handle);
  }

  async evaluate(code: string, options: { timeoutMs: number }): Promise<{ stdout: string; error?: string }> {
    const kernel = await this.#ensure();
    if (!kernel.evaluate) return { stdout: '', error: 'This kernel cannot evaluate code silently' };
    return kernel.evaluate(code, options);
  }

  /**
   * Completions from the running kernel. None is started for them (as in JupyterLab), and while a cell runs the
   * request would only wait behind it: both answer empty at once.
   */
  async complete(code: string, cursorPos: number): Promise<Completion> {
    const handle = this.#introspectable();
    if (typeof handle === 'string') return noCompletion(handle, cursorPos);
    return handle.complete ? handle.complete(code, cursorPos, { timeoutMs: INTROSPECT_TIMEOUT_MS }) : noCompletion('no_kernel', cursorPos);
  }

  /** The documentation of the name at the cursor, on the same terms as `complete`. */
  async inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<Inspection> {
    const handle = this.#introspectable();
    if (typeof handle === 'string') return noInspection(handle);
    return handle.inspect ? handle.inspect(code, cursorPos, { detailLevel, timeoutMs: INTROSPECT_TIMEOUT_MS }) : noInspection('no_kernel');
  }

  /**
   * Runs code silently in the kernel that runs now, on the same terms as `complete`: none is started for it,
   * and behind a running cell the answer is `busy` at once (the assistant's context by name).
   */
  async evaluateIfRunning(code: string, options: { timeoutMs: number }): Promise<{ status: 'ok' | 'no_kernel' | 'busy'; stdout: string; error?: string }> {
    const handle = this.#introspectable();
    if (typeof handle === 'string') return { status: handle, stdout: '' };
    if (!handle.evaluate) return { status: 'no_kernel', stdout: '' };
    return { status: 'ok', ...(await handle.evaluate(code, options)) };
  }

  #introspectable(): KernelHandle | 'no_kernel' | 'busy' {
    const handle = this.#handle;
    if (!handle || handle.info.state === 'dead' || handle.info.state === 'disconnected') return 'no_kernel';
    return this.#queue.running === undefined ? handle : 'busy';
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#queue.cancelAll('The notebook was closed');
    this.#unsubscribe?.();
    const handle = this.#handle ?? (await this.#starting?.catch(() => undefined));
    this.#handle = undefined;
    await handle?.shutdown().catch(() => undefined);
  }

  #setInfo(info: KernelInfo): void {
    this.#info = info;
    this.#options.onInfo(info);
  }

  #wantsOtherSpec(handle: KernelHandle): boolean {
    const wanted = this.#options.kernelName();
    return wanted !== undefined && wanted !== handle.name;
  }

  /** The live kernel, or a new one (replacing `previous` or a dead one: the next run after a death). */
  #ensure(previous?: KernelHandle): Promise<KernelHandle> {
    if (this.#handle && this.#handle.info.state !== 'dead') return Promise.resolve(this.#handle);
    this.#starting ??= this.#start(previous).finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #start(previous?: KernelHandle): Promise<KernelHandle> {
    if (this.#disposed) throw new Error('The notebook was closed');
    this.#unsubscribe?.();
    const old = this.#handle ?? previous;
    this.#handle = undefined;
    // Jupyter hands out the existing session of a notebook path: the old one must be gone before asking again.
    if (old) await withTimeout(old.shutdown(), REPLACE_SHUTDOWN_MS).catch(() => undefined);
    const name = this.#options.kernelName();
    this.#setInfo(name ? { state: 'starting', name } : { state: 'starting' });
    try {
      const handle = await this.#options.provider.startKernel(name ? { name, notebookPath: this.#options.notebookPath } : { notebookPath: this.#options.notebookPath });
      if (this.#disposed) {
        await handle.shutdown().catch(() => undefined);
        throw new Error('The notebook was closed');
      }
      this.#handle = handle;
      const unsubscribeInfo = handle.onInfo((info) => this.#setInfo(info));
      const onDisplayUpdate = this.#options.onDisplayUpdate;
      const unsubscribeDisplays = onDisplayUpdate && handle.onDisplayUpdate ? handle.onDisplayUpdate(onDisplayUpdate) : undefined;
      this.#unsubscribe = () => {
        unsubscribeInfo();
        unsubscribeDisplays?.();
      };
      this.#setInfo(handle.info);
      return handle;
    } catch (error) {
      const message = `The kernel could not start: ${error instanceof Error ? error.message : String(error)}`;
      this.#setInfo(name ? { state: 'dead', name, message } : { state: 'dead', message });
      throw error;
    }
  }
}

function mergeListeners(a: QueueListener, b: QueueListener): QueueListener {
  return {
    onQueued: (id) => (a.onQueued?.(id), b.onQueued?.(id)),
    onStart: (id) => (a.onStart?.(id), b.onStart?.(id)),
    onOutputs: (id, outputs) => (a.onOutputs?.(id, outputs), b.onOutputs?.(id, outputs)),
    onExecutionCount: (id, count) => (a.onExecutionCount?.(id, count), b.onExecutionCount?.(id, count)),
    onDone: (id, result, run) => (a.onDone?.(id, result, run), b.onDone?.(id, result, run)),
    // Only one side can answer the kernel's input requests: the run's own listener when it has one.
    ...(b.onInput ?? a.onInput ? { onInput: b.onInput ?? a.onInput } : {}),
  };
}
