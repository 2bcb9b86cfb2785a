/**
 * A real embedded Jupyter Server for a test file: its own temp workspace and free port, a kernel provider on top.
 * `cleanup()` shuts down every kernel, stops the server and removes the workspace; call it in `afterAll`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JupyterKernelProvider, type JupyterKernelProviderOptions } from '../../server/kernels/broker.ts';
import { startEmbeddedJupyter, type EmbeddedJupyter } from '../../server/kernels/jupyter-process.ts';

/** The Python with the Jupyter stack (see kernels/setup.sh). */
export function testPython(): string {
  return process.env.CELLMATE_PYTHON ?? '/usr/bin/python3';
}

export interface TestJupyter {
  jupyter: EmbeddedJupyter;
  provider: JupyterKernelProvider;
  workspace: string;
  cleanup(): Promise<void>;
}

export async function startTestJupyter(
  options: { env?: NodeJS.ProcessEnv; provider?: Omit<JupyterKernelProviderOptions, 'baseUrl' | 'token'> } = {},
): Promise<TestJupyter> {
  const workspace = await mkdtemp(join(tmpdir(), 'cellmate-kernel-test-'));
  let jupyter: EmbeddedJupyter;
  try {
    jupyter = await startEmbeddedJupyter({
      python: testPython(),
      rootDir: workspace,
      ...(options.env ? { env: options.env } : {}),
    });
  } catch (error) {
    await rm(workspace, { recursive: true, force: true });
    throw error;
  }
  const provider = new JupyterKernelProvider({ ...options.provider, baseUrl: jupyter.url, token: jupyter.token });
  return {
    jupyter,
    provider,
    workspace,
    async cleanup() {
      await provider.dispose();
      await jupyter.dispose();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns something truthy; fails with `what` after `timeoutMs`. Never a fixed sleep. */
export async function waitUntil<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether a process exists and is not a zombie (an exited child nobody reaped yet). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …" — the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (error) {
    // Gone in the meantime, or no /proc (not Linux): then kill(0) is all we know.
    return !(error instanceof Error && 'code' in error && error.code === 'ENOENT');
  }
}
