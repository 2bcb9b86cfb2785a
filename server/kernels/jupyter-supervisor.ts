/**
 * Keeps a Jupyter Server available to the kernel provider.
 *
 * Embedded: when the child process exits unexpectedly, every kernel is reported lost (their state is gone; the
 * documents are not), new kernel starts wait, and the server is started again with backoff; after too many
 * restarts in a short time it gives up and kernel starts fail with the reason.
 *
 * Remote (`JUPYTER_URL`): its `/api/status` (a gateway's `/api`) is polled; while it doesn't answer, new starts
 * wait and the status says so; when it answers again, kernels it no longer knows (it was restarted) are reported
 * lost. While it answers, its kernels are looked up too: one it shut down or culled is reported lost at once.
 */
import type { EmbeddedJupyter, JupyterExit } from './jupyter-process.ts';
import type { JupyterKernelProvider } from './broker.ts';
import { healthPath } from './gateway.ts';
import type { JupyterConnection } from './settings.ts';
import type { JupyterState, JupyterStatus } from '../protocol/resources.ts';

/** The Jupyter Server as the API reports it (the wire shape is in the protocol). */
export type { JupyterState, JupyterStatus };

/** What the supervisor tells the kernel provider. */
export type SupervisedProvider = Pick<JupyterKernelProvider, 'serverDown' | 'serverLost' | 'serverUp' | 'serverFailed' | 'dropVanishedKernels'>;

export interface JupyterSupervisorOptions {
  provider: SupervisedProvider;
  /** Starts the embedded server (again); absent when `remote` is used. */
  startEmbedded?: () => Promise<EmbeddedJupyter>;
  /** The embedded server already started (else `start` starts it with `startEmbedded`). */
  initial?: EmbeddedJupyter;
  remote?: JupyterConnection;
  /** The remote server is a kernel gateway (watched through `/api`, which is all it shares with Jupyter Server). */
  isGateway?: boolean;
  /** Restarts allowed within `restartWindowMs` before giving up. Default 5 in 10 minutes. */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** First delay before a restart; it doubles per failed attempt (capped at 30 s). Default 500 ms. */
  backoffMs?: number;
  /** How often a remote server is checked. Default 5 s. */
  healthIntervalMs?: number;
  log?: (message: string) => void;
}

export class JupyterSupervisor {
  readonly #options: JupyterSupervisorOptions;
  readonly #log: (message: string) => void;
  #embedded: EmbeddedJupyter | undefined;
  #status: JupyterStatus;
  readonly #restartTimes: number[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;
  #restarting: Promise<void> | undefined;

  private constructor(options: JupyterSupervisorOptions) {
    this.#options = options;
    this.#log = options.log ?? (() => {});
    this.#status = { state: 'running', embedded: options.startEmbedded !== undefined, restarts: 0, ...(options.isGateway ? { gateway: true } : {}) };
  }

  /**
   * Starts the embedded server (a failure here is thrown: Cellmate can't start without it) or begins watching
   * the remote one.
   */
  static async start(options: JupyterSupervisorOptions): Promise<JupyterSupervisor> {
    const supervisor = new JupyterSupervisor(options);
    if (options.initial) supervisor.#watch(options.initial);
    else if (options.startEmbedded) supervisor.#watch(await options.startEmbedded());
    else supervisor.#scheduleHealthCheck();
    return supervisor;
  }

  get status(): JupyterStatus {
    return { ...this.#status };
  }

  /** The embedded server running now (undefined while restarting, or with a remote server). */
  get embedded(): EmbeddedJupyter | undefined {
    return this.#embedded;
  }

  /** The connection kernels use now. */
  get connection(): JupyterConnection | undefined {
    return this.#embedded ? { baseUrl: this.#embedded.url, token: this.#embedded.token } : this.#options.remote;
  }

  /** For `process.on('exit')`: stops the embedded server synchronously (best effort). */
  killSync(): void {
    this.#disposed = true;
    this.#embedded?.killSync();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    clearTimeout(this.#timer);
    await this.#restarting?.catch(() => undefined);
    await this.#embedded?.dispose();
  }

  #watch(jupyter: EmbeddedJupyter): void {
    this.#embedded = jupyter;
    jupyter.onExit((exit) => {
      if (this.#disposed || this.#embedded !== jupyter) return;
      this.#restarting = this.#restart(jupyter, exit);
    });
  }

  async #restart(dead: EmbeddedJupyter, exit: JupyterExit): Promise<void> {
    const { provider } = this.#options;
    const how = exit.signal ?? `exit code ${exit.code}`;
    const reason = `The Jupyter Server stopped unexpectedly (${how})`;
    this.#log(`${reason}; restarting it`);
    this.#embedded = undefined;
    provider.serverDown(`${reason} and is being restarted`);
    provider.serverLost(`${reason}: the kernel and its variables are gone; the next run starts a new one`);
    this.#setStatus({ state: 'restarting', message: `${reason}; restarting it` });
    await dead.dispose().catch(() => undefined);
    const maxRestarts = this.#options.maxRestarts ?? 5;
    const windowMs = this.#options.restartWindowMs ?? 10 * 60_000;
    let lastError = '';
    for (let attempt = 0; !this.#disposed; attempt++) {
      const now = Date.now();
      while (this.#restartTimes.length > 0 && (this.#restartTimes[0] ?? now) < now - windowMs) this.#restartTimes.shift();
      if (this.#restartTimes.length >= maxRestarts) break;
      this.#restartTimes.push(now);
      await delay(Math.min(30_000, (this.#options.backoffMs ?? 500) * 2 ** attempt));
      if (this.#disposed) return;
      try {
        const started = await this.#options.startEmbedded?.();
        if (!started) return;
        if (this.#disposed) {
          await started.dispose();
          return;
        }
        this.#status.restarts++;
        this.#watch(started);
        provider.serverUp({ baseUrl: started.url, token: started.token });
        this.#setStatus({ state: 'running' });
        this.#log(`the Jupyter Server is back at ${started.url}`);
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
        this.#log(`restarting the Jupyter Server failed: ${lastError}`);
      }
    }
    if (this.#disposed) return;
    const message =
      `The Jupyter Server could not be restarted (${this.#restartTimes.length} restarts within ` +
      `${Math.round(windowMs / 60_000)} min${lastError ? `; last error: ${lastError}` : ''}). Restart Cellmate.`;
    this.#log(message);
    this.#setStatus({ state: 'failed', message });
    provider.serverFailed(message);
  }

  #scheduleHealthCheck(): void {
    if (this.#disposed) return;
    this.#timer = setTimeout(() => void this.#checkHealth(), this.#options.healthIntervalMs ?? 5_000);
    this.#timer.unref?.();
  }

  async #checkHealth(): Promise<void> {
    const remote = this.#options.remote;
    if (!remote || this.#disposed) return;
    const problem = await fetch(`${remote.baseUrl.replace(/\/?$/, '/')}${healthPath(this.#options.isGateway === true)}`, {
      headers: remote.token ? { Authorization: `token ${remote.token}` } : {},
      signal: AbortSignal.timeout(3_000),
    }).then(
      async (response) => {
        await response.body?.cancel();
        return response.ok ? undefined : `HTTP ${response.status}`;
      },
      (error: unknown) => (error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)),
    );
    if (this.#disposed) return;
    const { provider } = this.#options;
    if (problem && this.#status.state === 'running') {
      const message = `Lost the connection to the Jupyter Server at ${remote.baseUrl} (${problem}); retrying`;
      this.#log(message);
      provider.serverDown(message);
      this.#setStatus({ state: 'unreachable', message });
    } else if (!problem && this.#status.state === 'running') {
      await provider.dropVanishedKernels(
        `The kernel is gone from the Jupyter Server at ${remote.baseUrl} (shut down there, or culled after being idle): its variables are gone; the next run starts a new one`,
      );
    } else if (!problem && this.#status.state === 'unreachable') {
      this.#log(`the Jupyter Server at ${remote.baseUrl} answers again`);
      provider.serverUp();
      this.#setStatus({ state: 'running' });
      await provider.dropVanishedKernels(
        `The Jupyter Server at ${remote.baseUrl} was restarted: the kernel and its variables are gone; the next run starts a new one`,
      );
    }
    this.#scheduleHealthCheck();
  }

  #setStatus(status: { state: JupyterState; message?: string }): void {
    const { embedded, restarts, gateway } = this.#status;
    this.#status = { embedded, restarts, ...(gateway ? { gateway } : {}), ...status };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
