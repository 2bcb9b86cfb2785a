/**
 * A plain Jupyter Server, as someone else would run it (no Cellmate config): for the `JUPYTER_URL` tests. Its
 * root is the given folder; it can be stopped and started again on the same port with the same token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scrubEnv } from '../../server/kernels/env.ts';
import { testPython, waitUntil } from './jupyter.ts';

export interface RemoteJupyter {
  url: string;
  token: string;
  port: number;
  /** Starts the server (again); resolves once `/api/status` answers. */
  start(): Promise<void>;
  /** SIGTERM (it shuts its kernels down), SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** Stops it and removes its private folders. */
  cleanup(): Promise<void>;
}

export async function remoteJupyter(options: { rootDir: string; port: number; token: string }): Promise<RemoteJupyter> {
  const home = await mkdtemp(join(tmpdir(), 'cellmate-remote-jupyter-'));
  const url = `http://127.0.0.1:${options.port}/`;
  let child: ChildProcess | undefined;

  const isUp = async () => {
    try {
      const response = await fetch(`${url}api/status`, { headers: { Authorization: `token ${options.token}` }, signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  return {
    url,
    token: options.token,
    port: options.port,
    async start() {
      child = spawn(
        testPython(),
        [
          '-m',
          'jupyter_server',
          `--ServerApp.token=${options.token}`,
          '--ServerApp.ip=127.0.0.1',
          `--ServerApp.port=${options.port}`,
          '--ServerApp.port_retries=0',
          `--ServerApp.root_dir=${options.rootDir}`,
          '--no-browser',
          '--allow-root',
        ],
        {
          env: { ...scrubEnv(process.env), JUPYTER_RUNTIME_DIR: join(home, 'runtime'), JUPYTER_CONFIG_DIR: join(home, 'config'), PYDEVD_DISABLE_FILE_VALIDATION: '1' },
          // Started in its root, as a gateway would be: kernels started without a path (a gateway's) start there.
          cwd: options.rootDir,
          stdio: 'ignore',
        },
      );
      const spawned = child;
      await waitUntil('the remote Jupyter Server to answer', async () => {
        if (spawned.exitCode !== null) throw new Error(`the remote Jupyter Server exited (${spawned.exitCode})`);
        return isUp();
      }, 30_000);
    },
    stop,
    async cleanup() {
      await stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
