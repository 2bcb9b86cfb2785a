/**
 * The embedded Jupyter Server: a child process on 127.0.0.1, a free port, a random token, the workspace as its
 * root, configured by `kernels/jupyter_server_config.py` (which also makes it die with this process).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { KernelError } from '../errors.ts';
import { scrubEnv } from './env.ts';

/** The Jupyter Server config shipped in `kernels/`. */
export const DEFAULT_JUPYTER_CONFIG = fileURLToPath(new URL('../../kernels/jupyter_server_config.py', import.meta.url));

export interface EmbeddedJupyterOptions {
  /** A Python with jupyter_server and ipykernel, e.g. `process.env.CELLMATE_PYTHON ?? '/usr/bin/python3'`. */
  python: string;
  /** The workspace folder: the server's `root_dir`, which kernels' working directories are relative to. */
  rootDir: string;
  /** Default: a free port picked now. */
  port?: number;
  /** Base environment (default `process.env`); secret-looking variables are removed before the server sees it. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for `GET /api/status` to answer. Default 30 s (a loaded machine is slow to import). */
  startTimeoutMs?: number;
  /** How long `dispose()` waits after SIGTERM before SIGKILL. Default 10 s (the server shuts kernels down). */
  stopGraceMs?: number;
  /** Default: {@link DEFAULT_JUPYTER_CONFIG}. */
  configFile?: string;
  /** Receives every line the server logs. */
  onLog?: (line: string) => void;
  /**
   * What the config's kernel manager needs (`kernels/cellmate_kernels/`): the sandbox, how fast deaths are noticed.
   * Passed as JSON in `CELLMATE_KERNEL_SETTINGS`, which the config removes before any kernel starts.
   */
  kernelSettings?: object;
}

export interface JupyterExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EmbeddedJupyter {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  readonly token: string;
  readonly port: number;
  readonly pid: number;
  /** Private folder with the generated kernelspec and Jupyter's runtime files; removed on dispose. */
  readonly runtimeDir: string;
  /** The server's last log lines (for error messages). */
  logTail(): string;
  /** Called once when the process exits, for whatever reason. Returns the unsubscribe function. */
  onExit(listener: (exit: JupyterExit) => void): () => void;
  /** SIGTERM, SIGKILL after the grace period; resolves once the process is gone and its files removed. */
  dispose(): Promise<void>;
  /**
   * Synchronous best effort for `process.on('exit')`: SIGTERM (the server then shuts its kernels down on its own)
   * and removal of the runtime folder.
   */
  killSync(): void;
}

const LOG_LINES = 60;

/**
 * Starts a Jupyter Server and waits until its REST API answers.
 *
 * @example
 *   const jupyter = await startEmbeddedJupyter({ python: '/usr/bin/python3', rootDir: workspace });
 *   process.on('exit', () => jupyter.killSync());
 *   const provider = new JupyterKernelProvider({ baseUrl: jupyter.url, token: jupyter.token });
 *   // … on shutdown: await provider.dispose(); await jupyter.dispose();
 */
export async function startEmbeddedJupyter(options: EmbeddedJupyterOptions): Promise<EmbeddedJupyter> {
  // A picked port can be taken by someone else before the server binds it; the server then fails fast
  // (port_retries = 0) and we try another one.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, options.port ?? (await findFreePort()));
    } catch (error) {
      const portTaken = error instanceof KernelError && /is already in use/.test(error.message);
      if (!portTaken || attempt >= attempts) throw error;
    }
  }
}

async function startOnce(options: EmbeddedJupyterOptions, port: number): Promise<EmbeddedJupyter> {
  const token = randomBytes(24).toString('hex');
  const rootDir = await realpath(options.rootDir);
  const runtimeDir = await mkdtemp(path.join(tmpdir(), 'cellmate-jupyter-'));
  const url = `http://127.0.0.1:${port}/`;
  // `-m` puts the working directory first on `sys.path`: it must be a folder no kernel can write to (not the
  // workspace, where a cell could leave a `jupyter_server.py` to be run unsandboxed at the next start).
  const args = [
    '-m',
    'jupyter_server',
    `--config=${options.configFile ?? DEFAULT_JUPYTER_CONFIG}`,
    `--ServerApp.port=${port}`,
    `--ServerApp.root_dir=${rootDir}`,
  ];
  const env = {
    ...scrubEnv(options.env ?? process.env),
    // Read and removed by the config file: the token stays out of argv and out of the kernels' environment.
    CELLMATE_JUPYTER_TOKEN: token,
    CELLMATE_PARENT_PID: String(process.pid),
    CELLMATE_RUNTIME_DIR: runtimeDir,
    ...(options.kernelSettings ? { CELLMATE_KERNEL_SETTINGS: JSON.stringify(options.kernelSettings) } : {}),
    // Connection files, cookie secret and server info stay private to this instance.
    JUPYTER_RUNTIME_DIR: path.join(runtimeDir, 'runtime'),
    // The user's ~/.jupyter config must not change how the embedded server behaves (a password, another ip).
    JUPYTER_CONFIG_DIR: path.join(runtimeDir, 'config'),
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    PYTHONUNBUFFERED: '1',
    // Python 3.11+: nothing from the working directory or the script's folder on `sys.path` at all. Read by the
    // config file, which passes `-P` on to kernels it starts outside the sandbox's `-I`.
    PYTHONSAFEPATH: '1',
  };
  // The private runtime folder, not the workspace: see `args`.
  const child = spawn(options.python, args, { cwd: runtimeDir, env, stdio: ['ignore', 'pipe', 'pipe'] });

  const log: string[] = [];
  const logTail = () => log.join('\n');
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      log.push(line);
      if (log.length > LOG_LINES) log.shift();
      options.onLog?.(line);
    });
  }

  let exit: JupyterExit | undefined;
  const exitListeners = new Set<(exit: JupyterExit) => void>();
  let resolveExited: (exit: JupyterExit) => void = () => {};
  const exited = new Promise<JupyterExit>((resolve) => (resolveExited = resolve));
  const markExited = (info: JupyterExit) => {
    if (exit) return;
    exit = info;
    // readline may still hold the last lines; let them land in the tail first.
    setImmediate(() => {
      resolveExited(info);
      for (const listener of exitListeners) listener(info);
      exitListeners.clear();
    });
  };
  child.once('exit', (code, signal) => markExited({ code, signal }));
  const spawnError = new Promise<Error>((resolve) =>
    child.once('error', (error) => {
      // A spawn failure (no such Python) emits no 'exit'.
      if (child.pid === undefined) markExited({ code: null, signal: null });
      resolve(error);
    }),
  );

  const removeRuntimeDir = () => rm(runtimeDir, { recursive: true, force: true });
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  let disposing: Promise<void> | undefined;
  const dispose = () =>
    (disposing ??= (async () => {
      if (!exit) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
        await exited;
        clearTimeout(timer);
      }
      await removeRuntimeDir();
    })());

  try {
    await waitUntilReady({
      url,
      token,
      timeoutMs: options.startTimeoutMs ?? 30_000,
      failed: Promise.race([
        exited.then((e) => `exited (${e.signal ?? `code ${e.code}`})`),
        spawnError.then((e) => `could not be started: ${e.message}`),
      ]),
    });
  } catch (error) {
    await dispose();
    const reason = error instanceof Error ? error.message : String(error);
    const output = logTail();
    const missingStack = reason.startsWith('could not be started') || /No module named/.test(output);
    throw new KernelError(
      `Jupyter Server (${options.python} -m jupyter_server) ${reason}.` +
        (missingStack ? ' Is Python with jupyter_server installed? Run kernels/setup.sh or set CELLMATE_PYTHON.' : '') +
        (output ? `\nLast output:\n${output}` : ''),
    );
  }

  const pid = child.pid;
  if (pid === undefined) throw new KernelError('Jupyter Server has no pid');
  return {
    url,
    token,
    port,
    pid,
    runtimeDir,
    logTail,
    onExit(listener) {
      if (exit) {
        listener(exit);
        return () => {};
      }
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
    dispose,
    killSync() {
      if (!exit) child.kill('SIGTERM');
      rmSync(runtimeDir, { recursive: true, force: true });
    },
  };
}

/** Polls `GET /api/status` until it answers 200, the process fails, or the deadline passes. */
async function waitUntilReady(options: {
  url: string;
  token: string;
  timeoutMs: number;
  failed: Promise<string>;
}): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let failure: string | undefined;
  void options.failed.then((reason) => (failure = reason));
  while (failure === undefined) {
    if (Date.now() > deadline) throw new Error(`did not answer within ${options.timeoutMs} ms`);
    try {
      const response = await fetch(`${options.url}api/status`, {
        headers: { Authorization: `token ${options.token}` },
        signal: AbortSignal.timeout(2_000),
      });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await Promise.race([delay(100), options.failed]);
  }
  throw new Error(failure);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('No free port'))));
    });
  });
}
