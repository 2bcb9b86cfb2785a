/**
 * Kernels from a Jupyter Server (the embedded one, a remote one, a JupyterHub single-user server). Each kernel is
 * started through a Jupyter *session* for its notebook's path: that is how the server learns the notebook's
 * folder, which becomes the kernel's working directory (a kernel started without it would run in the root).
 *
 * The REST functions and `KernelConnection` are used directly rather than the Kernel/Session/KernelSpec
 * managers: the managers poll the server every 10–61 s, and a disposed lumino `Poll` leaves its timer armed, which
 * keeps Node alive up to a minute after shutdown. The kernel WebSocket already reports restarts and deaths.
 */
import { KernelSpecAPI, SessionAPI, type ServerConnection } from '@jupyterlab/services';
import { KernelError } from '../errors.ts';
import { RobustKernelConnection } from './connection.ts';
import { JupyterKernelHandle } from './kernel-handle.ts';
import type { OutputCaps } from './outputs.ts';
import { makeJupyterSettings, type JupyterConnection } from './settings.ts';
import type { KernelHandle, KernelProvider, KernelSpecSummary, StartKernelOptions } from './types.ts';

export interface JupyterKernelProviderOptions extends JupyterConnection {
  outputCaps?: Partial<OutputCaps>;
  /** How long a new kernel may take to answer `kernel_info`. Default 60 s. */
  startTimeoutMs?: number;
  /** How long `dispose()` waits for each kernel to shut down. Default 5 s. */
  shutdownTimeoutMs?: number;
}

/**
 * @example
 *   const provider = new JupyterKernelProvider({ baseUrl: jupyter.url, token: jupyter.token });
 *   const kernel = await provider.startKernel({ notebookPath: 'sales/report.ipynb' }); // cwd: <workspace>/sales
 *   const result = await kernel.execute('1+1');
 *   jupyter.onExit(() => provider.serverExited('The Jupyter Server stopped'));
 *   await provider.dispose(); // shuts down the kernels it started
 */
export class JupyterKernelProvider implements KernelProvider {
  readonly #options: JupyterKernelProviderOptions;
  readonly #settings: ServerConnection.ISettings;
  readonly #handles = new Set<JupyterKernelHandle>();
  #disposed = false;

  constructor(options: JupyterKernelProviderOptions) {
    this.#options = options;
    this.#settings = makeJupyterSettings(options);
  }

  async startKernel(options: StartKernelOptions): Promise<KernelHandle> {
    if (this.#disposed) throw new KernelError('The kernel provider is closed');
    const path = toApiPath(options.notebookPath);
    const settings = this.#settings;
    const session = await SessionAPI.startSession(
      {
        path,
        type: 'notebook',
        name: path.slice(path.lastIndexOf('/') + 1),
        kernel: options.name ? { name: options.name } : {},
      },
      settings,
    ).catch((error: unknown) => {
      throw new KernelError(`Could not start a kernel for ${path}: ${errorMessage(error)}`);
    });
    if (!session.kernel) throw new KernelError(`Jupyter started a session for ${path} without a kernel`);
    const kernel = new RobustKernelConnection({ model: session.kernel, serverSettings: settings });
    const handle = new JupyterKernelHandle(kernel, {
      // Deleting the session stops its kernel and forgets the notebook ↔ kernel link.
      shutdown: () => SessionAPI.shutdownSession(session.id, settings),
      ...(this.#options.outputCaps ? { outputCaps: this.#options.outputCaps } : {}),
      onDispose: () => this.#handles.delete(handle),
    });
    this.#handles.add(handle);
    try {
      await handle.ready(this.#options.startTimeoutMs ?? 60_000);
    } catch (error) {
      await handle.shutdown().catch(() => undefined);
      throw error;
    }
    return handle;
  }

  async listKernelSpecs(): Promise<{ default: string; specs: KernelSpecSummary[] }> {
    const specs = await KernelSpecAPI.getSpecs(this.#settings);
    return {
      default: specs.default,
      specs: Object.values(specs.kernelspecs).flatMap((spec) =>
        spec ? [{ name: spec.name, display_name: spec.display_name, language: spec.language }] : [],
      ),
    };
  }

  /**
   * Tells the provider its Jupyter Server is gone (wire it to the embedded server's `onExit`): every kernel
   * reports `dead` with `reason` and running cells end now rather than after minutes of reconnect attempts.
   */
  serverExited(reason: string): void {
    for (const handle of [...this.#handles]) handle.lose(reason);
  }

  /** Shuts down the kernels this provider started and closes their connections. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const timeoutMs = this.#options.shutdownTimeoutMs ?? 5_000;
    await Promise.all(
      [...this.#handles].map((handle) =>
        withTimeout(handle.shutdown(), timeoutMs)
          .catch(() => undefined)
          .finally(() => handle.dispose()),
      ),
    );
  }
}

/** A workspace-relative path as Jupyter's REST API wants it: `/`-separated, no leading slash. */
function toApiPath(notebookPath: string): string {
  return notebookPath.replace(/\\/g, '/').replace(/^\/+/, '');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
