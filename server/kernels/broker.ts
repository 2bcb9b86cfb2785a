/**
 * Kernels from a Jupyter Server (the embedded one, a remote one, a JupyterHub single-user server). Each kernel is
 * started through a Jupyter *session* for its notebook's path: that is how the server learns the notebook's
 * folder, which becomes the kernel's working directory (a kernel started without it would run in the root).
 *
 * The REST functions and `KernelConnection` are used directly rather than the Kernel/Session/KernelSpec
 * managers: the managers poll the server every 10–61 s, and a disposed lumino `Poll` leaves its timer armed, which
 * keeps Node alive up to a minute after shutdown. The kernel WebSocket already reports restarts and deaths.
 *
 * A kernel gateway (Enterprise Gateway, `gateway: true`) has no sessions: there a kernel is started on its own
 * (`POST /api/kernels`, see `gateway.ts`) and moved into its notebook's folder from inside, once it is ready.
 *
 * The server may go away and come back (see `JupyterSupervisor`): `serverLost` ends every kernel, `serverDown`
 * makes new starts wait, `serverUp` points the provider at the (possibly new) server, `serverFailed` makes them
 * fail with the reason.
 */
import { KernelAPI, KernelSpecAPI, ServerConnection, SessionAPI, type Kernel, type Session } from '@jupyterlab/services';
import { errorMessage, KernelDied, KernelError, UnknownKernelSpec } from '../errors.ts';
import { RobustKernelConnection } from './connection.ts';
import { startGatewayKernel } from './gateway.ts';
import { JupyterKernelHandle, type JupyterKernelHandleOptions } from './kernel-handle.ts';
import type { OutputCaps } from './outputs.ts';
import { makeJupyterSettings, type JupyterConnection } from './settings.ts';
import type { KernelHandle, KernelProvider, KernelSpecSummary, StartKernelOptions } from './types.ts';

export interface JupyterKernelProviderOptions extends JupyterConnection {
  outputCaps?: Partial<OutputCaps>;
  /** How long a new kernel may take to answer `kernel_info`. Default 60 s. */
  startTimeoutMs?: number;
  /** How long `dispose()` waits for each kernel to shut down. Default 5 s. */
  shutdownTimeoutMs?: number;
  /** After an interrupt, how long running code may take to stop before its kernel is restarted. Default 3 s. */
  interruptGraceMs?: number;
  /** The server is a kernel gateway: only the kernel and kernelspec endpoints exist. Default false. */
  gateway?: boolean;
}

export type KernelSpecList = { default: string; specs: KernelSpecSummary[] };

type Availability =
  | { state: 'up' }
  | { state: 'down'; reason: string; back: Promise<void>; resolve: () => void }
  | { state: 'failed'; reason: string };

const SPECS_TTL_MS = 10_000;

/**
 * @example
 *   const provider = new JupyterKernelProvider({ baseUrl: jupyter.url, token: jupyter.token });
 *   const kernel = await provider.startKernel({ notebookPath: 'sales/report.ipynb' }); // cwd: <workspace>/sales
 *   const result = await kernel.execute('1+1');
 *   await provider.dispose(); // shuts down the kernels it started
 */
export class JupyterKernelProvider implements KernelProvider {
  readonly #options: JupyterKernelProviderOptions;
  #settings: ServerConnection.ISettings;
  readonly #handles = new Set<JupyterKernelHandle>();
  #availability: Availability = { state: 'up' };
  #specs: { at: number; value: Promise<KernelSpecList> } | undefined;
  #disposed = false;

  constructor(options: JupyterKernelProviderOptions) {
    this.#options = options;
    this.#settings = makeJupyterSettings(options);
  }

  /** The Jupyter Server now in use. */
  get baseUrl(): string {
    return this.#settings.baseUrl;
  }

  async startKernel(options: StartKernelOptions): Promise<KernelHandle> {
    if (this.#disposed) throw new KernelError('The kernel provider is closed');
    const startTimeoutMs = this.#options.startTimeoutMs ?? 60_000;
    await this.#whenAvailable(startTimeoutMs);
    if (options.name) await this.#checkSpec(options.name);
    const path = toApiPath(options.notebookPath);
    const settings = this.#settings;
    const isGateway = this.#options.gateway === true;
    let model: Kernel.IModel;
    let records: Pick<JupyterKernelHandleOptions, 'shutdown' | 'rename'>;
    if (isGateway) {
      model = await startGatewayKernel(options.name, settings, startTimeoutMs);
      records = { shutdown: () => KernelAPI.shutdownKernel(model.id, settings) };
    } else {
      const session = await this.#startSession(path, options.name, startTimeoutMs);
      if (!session.kernel) throw new KernelError(`Jupyter started a session for ${path} without a kernel`);
      model = session.kernel;
      records = {
        // Deleting the session stops its kernel and forgets the notebook ↔ kernel link.
        shutdown: () => SessionAPI.shutdownSession(session.id, settings),
        rename: async (notebookPath) => {
          const renamed = toApiPath(notebookPath);
          const name = renamed.slice(renamed.lastIndexOf('/') + 1);
          await SessionAPI.updateSession({ id: session.id, path: renamed, name }, settings);
        },
      };
    }
    const kernel = new RobustKernelConnection({ model, serverSettings: settings });
    const handle = new JupyterKernelHandle(kernel, {
      ...records,
      ...(this.#options.outputCaps ? { outputCaps: this.#options.outputCaps } : {}),
      ...(this.#options.interruptGraceMs !== undefined ? { interruptGraceMs: this.#options.interruptGraceMs } : {}),
      onDispose: () => this.#handles.delete(handle),
    });
    this.#handles.add(handle);
    const vanished = watchStartup(handle.id, settings, !isGateway);
    try {
      await Promise.race([handle.ready(startTimeoutMs), vanished.promise.then((reason) => Promise.reject(new KernelDied(reason)))]);
      // A gateway's kernel starts wherever the gateway puts it: into the notebook's folder, if it sees one.
      if (isGateway) await handle.relocate(options.notebookPath);
    } catch (error) {
      await withTimeout(handle.shutdown(), this.#options.shutdownTimeoutMs ?? 5_000).catch(() => handle.dispose());
      throw error;
    } finally {
      vanished.cancel();
    }
    return handle;
  }

  /**
   * A Jupyter session for `path` with a kernel of its own. Jupyter keeps one session per path and answers a start
   * with the existing one: a notebook reopened while its previous kernel is still being shut down would get that
   * dying kernel. So a session whose kernel one of our handles still holds is waited out, then started anew.
   */
  async #startSession(path: string, name: string | undefined, timeoutMs: number): Promise<Session.IModel> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const session = await SessionAPI.startSession(
        { path, type: 'notebook', name: path.slice(path.lastIndexOf('/') + 1), kernel: name ? { name } : {} },
        this.#settings,
      ).catch((error: unknown) => {
        throw new KernelError(`Could not start a kernel for ${path}: ${errorMessage(error)}`);
      });
      const kernelId = session.kernel?.id;
      const holder = [...this.#handles].find((handle) => handle.id === kernelId);
      if (!holder) return session;
      if (!holder.isClosing || Date.now() > deadline) {
        throw new KernelError(`${path} already has a kernel (${kernelId}); one kernel per notebook, never shared`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The kernelspecs of the server (cached for a few seconds: every start checks its spec name). */
  listKernelSpecs(): Promise<KernelSpecList> {
    const cached = this.#specs;
    if (cached && Date.now() - cached.at < SPECS_TTL_MS) return cached.value;
    const value = KernelSpecAPI.getSpecs(this.#settings).then((specs) => ({
      default: specs.default,
      specs: Object.values(specs.kernelspecs).flatMap((spec) =>
        spec ? [{ name: spec.name, display_name: spec.display_name, language: spec.language }] : [],
      ),
    }));
    this.#specs = { at: Date.now(), value };
    value.catch(() => {
      if (this.#specs?.value === value) this.#specs = undefined;
    });
    return value;
  }

  /**
   * The server is gone with its kernels (wire it to the embedded server's exit): every kernel reports `dead` with
   * `reason` and running cells end now rather than after minutes of reconnect attempts.
   */
  serverLost(reason: string): void {
    for (const handle of [...this.#handles]) handle.lose(reason);
  }

  /** New kernel starts wait until `serverUp` (or fail after their start timeout, or at `serverFailed`). */
  serverDown(reason: string): void {
    if (this.#availability.state === 'down') return;
    let resolve = () => {};
    const back = new Promise<void>((r) => (resolve = r));
    this.#availability = { state: 'down', reason, back, resolve };
  }

  /** The server answers again, at `connection` when it changed (an embedded server restarts on a new port). */
  serverUp(connection?: JupyterConnection): void {
    if (connection) this.#settings = makeJupyterSettings(connection);
    this.#specs = undefined;
    const previous = this.#availability;
    this.#availability = { state: 'up' };
    if (previous.state === 'down') previous.resolve();
  }

  /** Kernel starts fail with `reason` until `serverUp`. */
  serverFailed(reason: string): void {
    const previous = this.#availability;
    this.#availability = { state: 'failed', reason };
    if (previous.state === 'down') previous.resolve();
  }

  /**
   * Kernels the server no longer knows are reported lost with `reason`: after it came back (it restarted), and
   * now and then while it runs (a kernel shut down there, or culled when idle: its WebSocket may stay open and
   * silent, so nothing else would tell). Kernels being shut down by us are left alone.
   */
  async dropVanishedKernels(reason: string): Promise<void> {
    await Promise.all(
      [...this.#handles].filter((handle) => !handle.isClosing).map(async (handle) => {
        const model = await KernelAPI.getKernelModel(handle.id, this.#settings).catch(() => null);
        if (model === undefined) handle.lose(reason);
      }),
    );
  }

  /** Shuts down the kernels this provider started and closes their connections. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.serverFailed('Cellmate is shutting down');
    const timeoutMs = this.#options.shutdownTimeoutMs ?? 5_000;
    await Promise.all(
      [...this.#handles].map((handle) =>
        withTimeout(handle.shutdown(), timeoutMs)
          .catch(() => undefined)
          .finally(() => handle.dispose()),
      ),
    );
  }

  async #whenAvailable(timeoutMs: number): Promise<void> {
    const availability = this.#availability;
    if (availability.state === 'up') return;
    if (availability.state === 'failed') throw new KernelError(availability.reason);
    const waited = await withTimeout(availability.back.then(() => true), timeoutMs).catch(() => false);
    if (!waited) throw new KernelError(`${availability.reason}; gave up waiting after ${Math.round(timeoutMs / 1000)} s`);
    return this.#whenAvailable(timeoutMs);
  }

  async #checkSpec(name: string): Promise<void> {
    const specs = await this.listKernelSpecs().catch(() => undefined);
    // When the list can't be had, let the start itself fail with the server's words.
    if (specs && !specs.specs.some((spec) => spec.name === name)) {
      throw new UnknownKernelSpec(name, specs.specs.map((spec) => spec.name));
    }
  }
}

const STARTUP_POLL_MS = 500;

/**
 * A kernel that dies before its WebSocket is connected can't say so over it, and Jupyter forgets it: poll its
 * model while it starts and, once it is gone, ask Cellmate's server extension why (`cellmate_kernels/extension.py`;
 * `canExplain` is false where it can't be there: a gateway).
 */
function watchStartup(kernelId: string, settings: ServerConnection.ISettings, canExplain: boolean): { promise: Promise<string>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let canceled = false;
  const promise = new Promise<string>((resolve) => {
    const poll = async () => {
      const model = await KernelAPI.getKernelModel(kernelId, settings).catch(() => null);
      if (canceled) return;
      if (model !== undefined) {
        timer = setTimeout(() => void poll(), STARTUP_POLL_MS);
        return;
      }
      const reason = canExplain ? await exitReason(kernelId, settings) : undefined;
      resolve(reason ? `${reason} while starting` : 'The kernel stopped while starting');
    };
    timer = setTimeout(() => void poll(), STARTUP_POLL_MS);
  });
  return {
    promise,
    cancel: () => {
      canceled = true;
      clearTimeout(timer);
    },
  };
}

async function exitReason(kernelId: string, settings: ServerConnection.ISettings): Promise<string | undefined> {
  const url = `${settings.baseUrl.replace(/\/?$/, '/')}api/cellmate/kernels/${encodeURIComponent(kernelId)}/exit`;
  try {
    const response = await ServerConnection.makeRequest(url, {}, settings);
    if (!response.ok) return undefined;
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null && 'reason' in body && typeof body.reason === 'string' ? body.reason : undefined;
  } catch {
    return undefined;
  }
}

/** A workspace-relative path as Jupyter's REST API wants it: `/`-separated, no leading slash. */
function toApiPath(notebookPath: string): string {
  return notebookPath.replace(/\\/g, '/').replace(/^\/+/, '');
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
