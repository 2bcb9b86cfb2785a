/**
 * Everything kernels need, started together for `startCellmate`: the sandbox decision, the Jupyter Server
 * (embedded and supervised, or remote and watched), the kernel provider with its output caps and timeouts, and
 * the warm pool in front of it.
 */
import { JupyterKernelProvider, type KernelSpecList } from './broker.ts';
import { detectGateway } from './gateway.ts';
import { startEmbeddedJupyter } from './jupyter-process.ts';
import { JupyterSupervisor, type JupyterStatus } from './jupyter-supervisor.ts';
import type { KernelSettings } from './kernel-config.ts';
import { KernelPool, type PoolStatus } from './pool.ts';
import { decideSandbox, kernelServerSettings, type SandboxStatus } from './sandbox.ts';
import type { JupyterConnection } from './settings.ts';
import type { KernelProvider } from './types.ts';

export interface KernelRuntimeOptions {
  python: string;
  /** The workspace folder (the embedded server's root). */
  workspace: string;
  /**
   * An existing Jupyter Server (`JUPYTER_URL`, `JUPYTER_TOKEN`) instead of the embedded one; `gateway` says it is
   * a kernel gateway (`JUPYTER_GATEWAY`), and is asked of the server when absent.
   */
  remote?: { url: string; token: string; gateway?: boolean };
  settings: KernelSettings;
  log: (message: string) => void;
  /** Test seams: how fast a remote server is checked, how the embedded one is restarted. */
  supervisor?: { healthIntervalMs?: number; backoffMs?: number; maxRestarts?: number };
}

/** What `GET /api/kernelspecs` reports besides the specs. */
export interface KernelRuntimeStatus {
  sandbox: SandboxStatus;
  jupyter: JupyterStatus;
  pool: PoolStatus;
}

export interface KernelRuntime {
  /** What notebook sessions start their kernels from (the pool, in front of the provider). */
  readonly kernels: KernelProvider;
  readonly provider: JupyterKernelProvider;
  readonly supervisor: JupyterSupervisor;
  readonly settings: KernelSettings;
  status(): KernelRuntimeStatus;
  listKernelSpecs(): Promise<KernelSpecList>;
  /** Shuts the pool and every kernel down, then the embedded server. */
  dispose(): Promise<void>;
}

/**
 * @example
 *   const runtime = await startKernelRuntime({ python, workspace, settings: loadKernelSettings(process.env), log });
 *   const sessions = new SessionManager({ workspace, kernels: runtime.kernels });
 */
export async function startKernelRuntime(options: KernelRuntimeOptions): Promise<KernelRuntime> {
  const { settings, log } = options;
  let sandbox: SandboxStatus;
  let startEmbedded: (() => ReturnType<typeof startEmbeddedJupyter>) | undefined;
  if (options.remote) {
    sandbox = { enabled: false, reason: `kernels run on the Jupyter Server at ${options.remote.url}, which Cellmate doesn't manage` };
  } else {
    const decision = await decideSandbox({ python: options.python, workspace: options.workspace, settings: settings.sandbox });
    sandbox = decision.status;
    const kernelSettings = kernelServerSettings(options.workspace, decision.serverSandbox);
    startEmbedded = () => startEmbeddedJupyter({ python: options.python, rootDir: options.workspace, kernelSettings });
  }
  log(sandbox.enabled ? `kernels are sandboxed (${sandbox.reason})` : `kernels are NOT sandboxed: ${sandbox.reason}`);

  const initial = startEmbedded ? await startEmbedded() : undefined;
  const connection: JupyterConnection = initial
    ? { baseUrl: initial.url, token: initial.token }
    : { baseUrl: options.remote?.url ?? '', token: options.remote?.token ?? '' };
  const isGateway = options.remote ? await isGatewayServer(options.remote, log) : false;
  const provider = new JupyterKernelProvider({
    ...connection,
    gateway: isGateway,
    startTimeoutMs: settings.startTimeoutMs,
    interruptGraceMs: settings.interruptGraceMs,
    outputCaps: { maxStreamChars: settings.maxOutputBytes, maxTotalChars: settings.maxCellOutputBytes },
  });
  const supervisor = await JupyterSupervisor.start({
    provider,
    ...(startEmbedded ? { startEmbedded } : {}),
    ...(initial ? { initial } : { remote: connection, isGateway }),
    healthIntervalMs: settings.jupyterCheckMs,
    ...options.supervisor,
    log,
  });
  log(initial ? `embedded Jupyter Server at ${initial.url}` : `using the ${isGateway ? 'kernel gateway' : 'Jupyter Server'} at ${connection.baseUrl}`);
  const killSync = () => supervisor.killSync();
  process.on('exit', killSync);

  const pool = new KernelPool({ provider, size: settings.poolSize, log });
  pool.fill();

  let disposing: Promise<void> | undefined;
  return {
    kernels: pool,
    provider,
    supervisor,
    settings,
    status: () => ({ sandbox, jupyter: supervisor.status, pool: pool.status }),
    listKernelSpecs: () => provider.listKernelSpecs(),
    dispose: () =>
      (disposing ??= (async () => {
        await pool.dispose();
        await provider.dispose();
        await supervisor.dispose();
        process.off('exit', killSync);
      })()),
  };
}

/** Told by `JUPYTER_GATEWAY`, else asked; a server that can't be asked now is taken for a Jupyter Server. */
async function isGatewayServer(remote: { url: string; token: string; gateway?: boolean }, log: (message: string) => void): Promise<boolean> {
  if (remote.gateway !== undefined) return remote.gateway;
  const detected = await detectGateway({ baseUrl: remote.url, token: remote.token });
  if (detected === undefined) {
    log(`could not ask ${remote.url} whether it is a kernel gateway; taking it for a Jupyter Server (set JUPYTER_GATEWAY=1 or 0 to say)`);
    return false;
  }
  if (detected) log(`${remote.url} serves kernels only (a kernel gateway): kernels start without sessions`);
  return detected;
}
