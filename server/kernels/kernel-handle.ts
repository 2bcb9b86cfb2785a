/**
 * One notebook's kernel, reached through its WebSocket (`@jupyterlab/services`' `KernelConnection`). Tracks its
 * state (with the reason when it dies), runs code (see `kernel-requests.ts`), and makes sure no request waits
 * forever on a kernel that restarted, died or vanished.
 */
import { KernelMessage, type Kernel } from '@jupyterlab/services';
import type { Completion, Inspection, KernelInfo } from '../protocol/index.ts';
import { KernelDied } from '../errors.ts';
import { abortReason, toKernelInfo, type KernelStatusSnapshot } from './kernel-state.ts';
import {
  after,
  formatSeconds,
  relocationCode,
  runEvaluate,
  runExecute,
  type RequestContext,
  type Termination,
  type TerminationWatch,
} from './kernel-requests.ts';
import { runComplete, runInspect } from './introspect.ts';
import { KernelLocation } from './kernel-location.ts';
import { toJSONObject, toMimeBundle, type OutputCaps } from './outputs.ts';
import type { DisplayUpdate, ExecutionListener, ExecutionResult, KernelHandle } from './types.ts';

export interface JupyterKernelHandleOptions {
  /** Stops the kernel on the server (e.g. deletes its Jupyter session); `shutdown()` then closes the connection. */
  shutdown: () => Promise<void>;
  /** Points the server's records (the Jupyter session) at another notebook path; see `relocate`. */
  rename?: (notebookPath: string) => Promise<void>;
  outputCaps?: Partial<OutputCaps>;
  /**
   * After an interrupt, how long the code that was running may take to stop before the kernel is restarted
   * (default 3 s; 0: never restart).
   */
  interruptGraceMs?: number;
  /** Called once when the handle lets go of its connection (shutdown or dispose). */
  onDispose?: () => void;
}

/** How long a restarted kernel may take to answer before `restart()` fails. */
const RESTART_READY_MS = 60_000;

export class JupyterKernelHandle implements KernelHandle {
  readonly id: string;
  readonly name: string;
  readonly #kernel: Kernel.IKernelConnection;
  readonly #options: JupyterKernelHandleOptions;
  readonly #infoListeners = new Set<(info: KernelInfo) => void>();
  readonly #displayListeners = new Set<(update: DisplayUpdate) => void>();
  /** Notified when running requests can no longer finish. */
  readonly #terminationListeners = new Set<(termination: Termination) => void>();
  readonly #requests: RequestContext;
  #info: KernelInfo;
  #wasConnected = false;
  #restartRequested = false;
  /** How requests in flight end when the restart asked for is an interrupt's escalation. */
  #restartTermination: Termination | undefined;
  #deathReason: string | undefined;
  /** Requests running now (see `begin`), and the escalation of an interrupt in progress. */
  readonly #running = new Set<symbol>();
  #escalation: { timer: ReturnType<typeof setTimeout> } | undefined;
  #shutDown = false;
  #disposed = false;
  /** Where `relocate` moved the kernel, kept across restarts. */
  readonly #location: KernelLocation;

  constructor(kernel: Kernel.IKernelConnection, options: JupyterKernelHandleOptions) {
    this.#kernel = kernel;
    this.#options = options;
    this.id = kernel.id;
    this.name = kernel.name;
    this.#wasConnected = kernel.connectionStatus === 'connected';
    this.#info = toKernelInfo(this.#snapshot());
    this.#requests = {
      kernel,
      outputCaps: options.outputCaps,
      unavailable: () => this.#unavailableReason(),
      termination: () => this.#termination(),
      interrupt: () => this.interrupt(),
      begin: () => {
        const token = Symbol('request');
        this.#running.add(token);
        return () => this.#running.delete(token);
      },
    };
    kernel.statusChanged.connect(this.#onStatus, this);
    kernel.connectionStatusChanged.connect(this.#onStatus, this);
    kernel.iopubMessage.connect(this.#onIOPub, this);
    kernel.anyMessage.connect(this.#onAnyMessage, this);
    kernel.disposed.connect(this.#onKernelDisposed, this);
    this.#location = new KernelLocation(
      (notebookPath) => this.#moveTo(notebookPath),
      (message) => this.#setInfo({ ...this.#info, message }),
    );
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

  /** Resolves once the kernel answered `kernel_info`, i.e. it runs and listens; KernelDied otherwise. */
  ready(timeoutMs: number): Promise<void> {
    const timedOut = `The kernel (${this.name}) did not become ready within ${formatSeconds(timeoutMs)}; it was stopped`;
    return this.#within(this.#kernel.info, timeoutMs, timedOut);
  }

  // Each request first waits for a restarted kernel to be back in its notebook's folder (see KernelLocation).
  async execute(code: string, listener: ExecutionListener = {}): Promise<ExecutionResult> {
    await this.#location.whenPlaced();
    return runExecute(this.#requests, code, listener);
  }

  async evaluate(code: string, options: { timeoutMs: number }): Promise<{ stdout: string; error?: string }> {
    await this.#location.whenPlaced();
    return runEvaluate(this.#requests, code, options);
  }

  async complete(code: string, cursorPos: number, options: { timeoutMs: number }): Promise<Completion> {
    await this.#location.whenPlaced();
    return runComplete(this.#requests, code, cursorPos, options);
  }

  async inspect(code: string, cursorPos: number, options: { detailLevel: 0 | 1; timeoutMs: number }): Promise<Inspection> {
    await this.#location.whenPlaced();
    return runInspect(this.#requests, code, cursorPos, options);
  }

  /**
   * Interrupts the running code (SIGINT, or a control message for kernels whose spec asks for it). If that code
   * is still running after the grace period, the kernel is restarted: its cell ends `error` saying so.
   */
  async interrupt(): Promise<void> {
    if (this.#unavailableReason()) return;
    const running = [...this.#running];
    await this.#kernel.interrupt();
    const graceMs = this.#options.interruptGraceMs ?? 3_000;
    if (running.length === 0 || graceMs <= 0 || this.#escalation) return;
    const timer = setTimeout(() => {
      this.#escalation = undefined;
      if (running.some((token) => this.#running.has(token))) void this.#escalate(graceMs);
    }, graceMs);
    this.#escalation = { timer };
  }

  async restart(): Promise<void> {
    const unavailable = this.#unavailableReason();
    if (unavailable) throw new KernelDied(unavailable);
    this.#restartRequested = true;
    try {
      await this.#kernel.restart();
    } finally {
      this.#restartRequested = false;
      this.#restartTermination = undefined;
    }
    // Done when the new process reports in, so a caller's next request doesn't wait behind its start. (The
    // library's `info` promise is the first process's and resolved long ago.)
    await this.#settled(RESTART_READY_MS);
    await this.#location.whenPlaced();
  }

  /**
   * Resolves once the kernel is idle (it answers `kernel_info` first, before anything queued meanwhile runs);
   * KernelDied when it fails or takes longer than `timeoutMs`.
   */
  async #settled(timeoutMs: number): Promise<void> {
    if (this.#info.state === 'idle') return;
    let unsubscribe = () => {};
    const idle = new Promise<void>((resolve) => {
      unsubscribe = this.onInfo((info) => info.state === 'idle' && resolve());
    });
    await this.#within(idle, timeoutMs, `The kernel did not come back within ${formatSeconds(timeoutMs)}`).finally(unsubscribe);
  }

  /** Waits for `until`; KernelDied when the kernel fails first or `timeoutMs` passes (with `timedOut`). */
  async #within(until: Promise<unknown>, timeoutMs: number, timedOut: string): Promise<void> {
    const termination = this.#termination();
    const timeout = after<Termination>(timeoutMs, { reason: timedOut, failed: true });
    try {
      const failure = await Promise.race([until.then(() => undefined), termination.promise, timeout.promise]);
      if (failure !== undefined) throw new KernelDied(failure.reason);
    } finally {
      timeout.cancel();
      termination.cancel();
    }
  }

  async #escalate(graceMs: number): Promise<void> {
    const seconds = formatSeconds(graceMs);
    this.#restartTermination = {
      reason: `Still running ${seconds} after the interrupt, so the kernel was restarted (its variables are gone)`,
      failed: true,
    };
    this.#setInfo({ state: 'restarting', name: this.name, message: `The running code ignored the interrupt for ${seconds}; restarting the kernel` });
    await this.restart().catch(() => undefined);
  }

  /**
   * Moves a kernel that was started for no notebook in particular (a warm pool's, in the workspace root) to
   * `notebookPath`: the Jupyter session is renamed, and the working directory changes to the notebook's folder
   * (or the nearest existing parent, as Jupyter picks it), silently and without leaving names behind. A
   * restarted kernel is moved there again.
   */
  async relocate(notebookPath: string): Promise<void> {
    await this.#options.rename?.(notebookPath);
    await this.#location.moveTo(notebookPath);
  }

  async #moveTo(notebookPath: string): Promise<void> {
    const { error } = await runEvaluate(this.#requests, relocationCode(notebookPath), { timeoutMs: 10_000 });
    if (error) throw new KernelDied(`Could not move the kernel to ${notebookPath}: ${error}`);
  }

  /** A shutdown was asked for and is under way (the handle goes once the server has stopped the kernel). */
  get isClosing(): boolean {
    return this.#shutDown && !this.#disposed;
  }

  /** Stops the kernel and lets go of the connection. */
  async shutdown(): Promise<void> {
    if (this.#disposed) return;
    const isDead = this.#kernel.status === 'dead';
    this.#shutDown = true;
    this.#terminate({ reason: 'The kernel was shut down', failed: false });
    try {
      // The server already dropped a dead kernel; asking it to stop one would only log "Session not found".
      if (!isDead) await this.#options.shutdown();
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
    this.#terminate({ reason, failed: true });
    this.#setInfo({ state: 'dead', name: this.name, message: reason });
    this.dispose();
  }

  /** Lets go of the connection without stopping the kernel. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    clearTimeout(this.#escalation?.timer);
    this.#location.dispose();
    this.#terminate({ reason: this.#shutDown ? 'The kernel was shut down' : 'The connection to the kernel was closed', failed: false });
    this.#kernel.statusChanged.disconnect(this.#onStatus, this);
    this.#kernel.connectionStatusChanged.disconnect(this.#onStatus, this);
    this.#kernel.iopubMessage.disconnect(this.#onIOPub, this);
    this.#kernel.anyMessage.disconnect(this.#onAnyMessage, this);
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
      deathReason: this.#deathReason,
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
    const termination = this.#restartTermination && snapshot.status === 'restarting' ? this.#restartTermination : abortReason(snapshot, this.#restartRequested);
    // The library gave up reconnecting: nothing sent now would ever leave, so this handle is done for.
    if (snapshot.connection === 'disconnected' && snapshot.status !== 'dead') {
      return this.lose(`${termination?.reason ?? 'Lost the connection to the kernel'}; the next run starts a new one`);
    }
    if (termination) this.#terminate(termination);
    this.#location.onStatus(snapshot.status);
    this.#setInfo(toKernelInfo(snapshot));
  }

  #setInfo(info: KernelInfo): void {
    if (info.state === this.#info.state && info.message === this.#info.message) return;
    this.#info = info;
    for (const listener of this.#infoListeners) listener(info);
  }

  #onKernelDisposed(): void {
    this.#terminate({ reason: this.#info.message ?? 'The kernel connection was closed', failed: !this.#shutDown });
  }

  /**
   * The status message of a death carries the reason (`cellmate_reason`, from the embedded server's config). It
   * must be read here: the library disposes the connection on `dead` before `iopubMessage` would deliver it.
   */
  #onAnyMessage(_kernel: Kernel.IKernelConnection, args: Kernel.IAnyMessageArgs): void {
    const { msg, direction } = args;
    if (direction !== 'recv' || !KernelMessage.isStatusMsg(msg)) return;
    const reason = toJSONObject(msg.content)['cellmate_reason'];
    if (typeof reason === 'string' && reason !== '') this.#deathReason = reason;
  }

  /**
   * Display updates for the session: every `update_display_data`, and every `display_data` carrying a
   * `display_id` (showing it again refreshes the copies shown earlier, as in JupyterLab).
   */
  #onIOPub(_kernel: Kernel.IKernelConnection, msg: KernelMessage.IIOPubMessage): void {
    if (this.#displayListeners.size === 0) return;
    if (!KernelMessage.isUpdateDisplayDataMsg(msg) && !KernelMessage.isDisplayDataMsg(msg)) return;
    const displayId = msg.content.transient?.display_id;
    if (typeof displayId !== 'string') return;
    const update: DisplayUpdate = {
      displayId,
      data: toMimeBundle(msg.content.data),
      metadata: toJSONObject(msg.content.metadata),
    };
    for (const listener of this.#displayListeners) listener(update);
  }

  /** A promise that resolves when the requests in flight can no longer complete. */
  #termination(): TerminationWatch {
    let listener: (termination: Termination) => void = () => {};
    const promise = new Promise<Termination>((resolve) => {
      listener = resolve;
      this.#terminationListeners.add(listener);
    });
    return { promise, cancel: () => this.#terminationListeners.delete(listener) };
  }

  #terminate(termination: Termination): void {
    const listeners = [...this.#terminationListeners];
    this.#terminationListeners.clear();
    for (const listener of listeners) listener(termination);
  }
}
