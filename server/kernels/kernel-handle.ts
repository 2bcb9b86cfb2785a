/**
 * One notebook's kernel, reached through its WebSocket (`@jupyterlab/services`' `KernelConnection`). Tracks its
 * state, runs code into an `OutputArea`, and makes sure no request waits forever on a kernel that restarted,
 * died or vanished.
 */
import { KernelMessage, type Kernel } from '@jupyterlab/services';
import type { KernelInfo } from '../protocol/index.ts';
import { KernelDied } from '../errors.ts';
import { abortReason, toKernelInfo, type KernelStatusSnapshot } from './kernel-state.ts';
import { OutputArea, toJSONObject, toMimeBundle, type OutputCaps } from './outputs.ts';
import type { DisplayUpdate, ExecutionListener, ExecutionResult, KernelHandle } from './types.ts';

export interface JupyterKernelHandleOptions {
  /** Stops the kernel on the server (e.g. deletes its Jupyter session); `shutdown()` then closes the connection. */
  shutdown: () => Promise<void>;
  outputCaps?: Partial<OutputCaps>;
  /** Called once when the handle lets go of its connection (shutdown or dispose). */
  onDispose?: () => void;
}

type Termination = { promise: Promise<string>; cancel: () => void };

export class JupyterKernelHandle implements KernelHandle {
  readonly id: string;
  readonly name: string;
  readonly #kernel: Kernel.IKernelConnection;
  readonly #options: JupyterKernelHandleOptions;
  readonly #infoListeners = new Set<(info: KernelInfo) => void>();
  readonly #displayListeners = new Set<(update: DisplayUpdate) => void>();
  /** Notified with a reason when running requests can no longer finish. */
  readonly #terminationListeners = new Set<(reason: string) => void>();
  #info: KernelInfo;
  #wasConnected = false;
  #restartRequested = false;
  #shutDown = false;
  #disposed = false;

  constructor(kernel: Kernel.IKernelConnection, options: JupyterKernelHandleOptions) {
    this.#kernel = kernel;
    this.#options = options;
    this.id = kernel.id;
    this.name = kernel.name;
    this.#wasConnected = kernel.connectionStatus === 'connected';
    this.#info = toKernelInfo(this.#snapshot());
    kernel.statusChanged.connect(this.#onStatus, this);
    kernel.connectionStatusChanged.connect(this.#onStatus, this);
    kernel.iopubMessage.connect(this.#onIOPub, this);
    kernel.disposed.connect(this.#onKernelDisposed, this);
  }

  get info(): KernelInfo {
    return this.#info;
  }

  onInfo(listener: (info: KernelInfo) => void): () => void {
    this.#infoListeners.add(listener);
    return () => this.#infoListeners.delete(listener);
  }

  onDisplayUpdate(listener: (update: DisplayUpdate) => void): () => void {
    this.#displayListeners.add(listener);
    return () => this.#displayListeners.delete(listener);
  }

  /** Resolves once the kernel answered `kernel_info`, i.e. it runs and listens. */
  async ready(timeoutMs: number): Promise<void> {
    const termination = this.#termination();
    const timeout = after(timeoutMs, `The kernel did not answer within ${timeoutMs} ms`);
    try {
      const info = this.#kernel.info.then(() => undefined);
      const failure = await Promise.race([info, termination.promise, timeout.promise]);
      if (failure !== undefined) throw new KernelDied(failure);
    } finally {
      timeout.cancel();
      termination.cancel();
    }
  }

  async execute(code: string, listener: ExecutionListener = {}): Promise<ExecutionResult> {
    const unavailable = this.#unavailableReason();
    if (unavailable) return { status: 'aborted', execution_count: null, outputs: [], message: unavailable };

    const area = new OutputArea(this.#options.outputCaps);
    let executionCount: number | null = null;
    const termination = this.#termination();
    // Cells run one at a time from our queue, which decides itself what an error means for the next ones.
    const future = this.#kernel.requestExecute({ code, allow_stdin: false, stop_on_error: false });
    listener.onStart?.();
    future.onIOPub = (msg) => {
      if (KernelMessage.isExecuteInputMsg(msg)) {
        executionCount = msg.content.execution_count;
        listener.onExecutionCount?.(executionCount);
      } else if (area.handle(msg)) {
        listener.onOutputs?.(area.outputs);
      }
    };
    let reply: KernelMessage.IExecuteReplyMsg['content'] | undefined;
    future.onReply = (msg) => {
      reply = msg.content;
    };
    const failure = await Promise.race([
      future.done.then(() => undefined, whyCanceled(termination)),
      termination.promise,
    ]);
    termination.cancel();
    if (failure !== undefined || !reply) {
      future.dispose();
      const message = failure ?? 'The kernel did not reply';
      return { status: 'aborted', execution_count: executionCount, outputs: area.outputs, message };
    }
    if (reply.execution_count !== undefined) executionCount = reply.execution_count;
    const status = reply.status === 'ok' ? 'ok' : reply.status === 'error' ? 'error' : 'aborted';
    const result: ExecutionResult = { status, execution_count: executionCount, outputs: area.outputs };
    if (status === 'aborted') result.message = 'The kernel aborted this request';
    return result;
  }

  async evaluate(code: string, options: { timeoutMs: number }): Promise<{ stdout: string; error?: string }> {
    const unavailable = this.#unavailableReason();
    if (unavailable) return { stdout: '', error: unavailable };
    const termination = this.#termination();
    const future = this.#kernel.requestExecute({ code, silent: true, store_history: false, allow_stdin: false });
    let stdout = '';
    let started = false;
    let error: string | undefined;
    future.onIOPub = (msg) => {
      if (KernelMessage.isStatusMsg(msg) && msg.content.execution_state === 'busy') started = true;
      else if (KernelMessage.isStreamMsg(msg) && msg.content.name === 'stdout') stdout += msg.content.text;
    };
    future.onReply = (msg) => {
      if (msg.content.status === 'error') error = `${msg.content.ename}: ${msg.content.evalue}`;
      else if (msg.content.status !== 'ok') error = 'The kernel aborted this request';
    };
    const timedOut = `Timed out after ${options.timeoutMs} ms`;
    const timeout = after(options.timeoutMs, timedOut);
    const failure = await Promise.race([
      future.done.then(() => undefined, whyCanceled(termination)),
      termination.promise,
      timeout.promise,
    ]);
    timeout.cancel();
    termination.cancel();
    if (failure === undefined) return error === undefined ? { stdout } : { stdout, error };
    future.dispose();
    // Only interrupt code that is ours: before it starts, the kernel is still busy with someone else's cell.
    if (started && failure === timedOut) await this.interrupt().catch(() => undefined);
    return { stdout, error: failure };
  }

  async interrupt(): Promise<void> {
    if (this.#unavailableReason()) return;
    await this.#kernel.interrupt();
  }

  async restart(): Promise<void> {
    const unavailable = this.#unavailableReason();
    if (unavailable) throw new KernelDied(unavailable);
    this.#restartRequested = true;
    try {
      await this.#kernel.restart();
    } finally {
      this.#restartRequested = false;
    }
  }

  /** Stops the kernel and lets go of the connection. */
  async shutdown(): Promise<void> {
    if (this.#disposed) return;
    this.#shutDown = true;
    this.#terminate('The kernel was shut down');
    try {
      await this.#options.shutdown();
    } finally {
      this.dispose();
    }
  }

  /**
   * The server behind the kernel is gone for good (e.g. the embedded Jupyter Server exited): ends the requests in
   * flight at once instead of after the library's reconnect attempts (minutes), reports `dead`, lets go.
   */
  lose(reason: string): void {
    if (this.#disposed) return;
    this.#terminate(reason);
    this.#setInfo({ state: 'dead', name: this.name, message: reason });
    this.dispose();
  }

  /** Lets go of the connection without stopping the kernel. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#terminate(this.#shutDown ? 'The kernel was shut down' : 'The connection to the kernel was closed');
    this.#kernel.statusChanged.disconnect(this.#onStatus, this);
    this.#kernel.connectionStatusChanged.disconnect(this.#onStatus, this);
    this.#kernel.iopubMessage.disconnect(this.#onIOPub, this);
    this.#kernel.disposed.disconnect(this.#onKernelDisposed, this);
    this.#kernel.dispose();
    this.#options.onDispose?.();
  }

  #snapshot(): KernelStatusSnapshot {
    return {
      status: this.#kernel.status,
      connection: this.#kernel.connectionStatus,
      wasConnected: this.#wasConnected,
      name: this.name,
    };
  }

  #unavailableReason(): string | undefined {
    if (this.#disposed) return this.#shutDown ? 'The kernel was shut down' : 'The kernel connection was closed';
    if (this.#kernel.isDisposed || this.#kernel.status === 'dead') return this.#info.message ?? 'The kernel died';
    return undefined;
  }

  #onStatus(): void {
    if (this.#kernel.connectionStatus === 'connected') this.#wasConnected = true;
    const snapshot = this.#snapshot();
    const reason = abortReason(snapshot, this.#restartRequested);
    if (reason) this.#terminate(reason);
    this.#setInfo(toKernelInfo(snapshot));
  }

  #setInfo(info: KernelInfo): void {
    if (info.state === this.#info.state && info.message === this.#info.message) return;
    this.#info = info;
    for (const listener of this.#infoListeners) listener(info);
  }

  #onKernelDisposed(): void {
    this.#terminate(this.#info.message ?? 'The kernel connection was closed');
  }

  #onIOPub(_kernel: Kernel.IKernelConnection, msg: KernelMessage.IIOPubMessage): void {
    if (!KernelMessage.isUpdateDisplayDataMsg(msg) || this.#displayListeners.size === 0) return;
    const update: DisplayUpdate = {
      displayId: msg.content.transient.display_id,
      data: toMimeBundle(msg.content.data),
      metadata: toJSONObject(msg.content.metadata),
    };
    for (const listener of this.#displayListeners) listener(update);
  }

  /** A promise that resolves with a reason when the requests in flight can no longer complete. */
  #termination(): Termination {
    let listener: (reason: string) => void = () => {};
    const promise = new Promise<string>((resolve) => {
      listener = resolve;
      this.#terminationListeners.add(listener);
    });
    return { promise, cancel: () => this.#terminationListeners.delete(listener) };
  }

  #terminate(reason: string): void {
    const listeners = [...this.#terminationListeners];
    this.#terminationListeners.clear();
    for (const listener of listeners) listener(reason);
  }
}

/**
 * `done` rejects when the connection drops its futures (restart, death, dispose); the status change that says
 * why comes with it, but not always first.
 */
function whyCanceled(termination: Termination): () => Promise<string> {
  return () => {
    const fallback = after(1_000, 'The request was canceled');
    return Promise.race([termination.promise, fallback.promise]).finally(fallback.cancel);
  };
}

/** Resolves with `value` after `ms` unless canceled first. */
function after<T>(ms: number, value: T): { promise: Promise<T>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(value), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}
