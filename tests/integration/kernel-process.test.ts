/**
 * The embedded Jupyter Server as a process: clear errors when Python lacks the stack, a clean stop, and no
 * orphans when the Node process that started it is killed with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JupyterKernelProvider } from '../../server/kernels/broker.ts';
import { startEmbeddedJupyter } from '../../server/kernels/jupyter-process.ts';
import { isProcessAlive, testPython, waitUntil } from '../helpers/jupyter.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cellmate-jupyter-process-'));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('startEmbeddedJupyter', () => {
  it('starts, answers with its token only, and stops cleanly', async () => {
    const jupyter = await startEmbeddedJupyter({ python: testPython(), rootDir: dir });
    try {
      const ok = await fetch(`${jupyter.url}api/status`, { headers: { Authorization: `token ${jupyter.token}` } });
      expect(ok.status).toBe(200);
      const anonymous = await fetch(`${jupyter.url}api/kernels`);
      expect(anonymous.status).toBe(403);
      expect(existsSync(join(jupyter.runtimeDir, 'kernels', 'python3', 'kernel.json'))).toBe(true);
    } finally {
      await jupyter.dispose();
    }
    expect(isProcessAlive(jupyter.pid)).toBe(false);
    expect(existsSync(jupyter.runtimeDir)).toBe(false);
  });

  it('fails with a clear message and the server output when the Python lacks jupyter_server', async () => {
    // -S leaves out site-packages: the same Python, without the Jupyter stack.
    const bare = join(dir, 'bare-python');
    await writeFile(bare, `#!/bin/sh\nexec ${testPython()} -S "$@"\n`);
    await chmod(bare, 0o755);
    const error = await startEmbeddedJupyter({ python: bare, rootDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = error instanceof Error ? error.message : '';
    expect(message).toContain('kernels/setup.sh');
    expect(message).toContain('No module named jupyter_server');
  });

  it('fails clearly when the Python does not exist', async () => {
    const error = await startEmbeddedJupyter({ python: join(dir, 'no-such-python'), rootDir: dir }).catch(
      (e: unknown) => e,
    );
    expect(error instanceof Error && error.message).toMatch(/could not be started: spawn .*ENOENT/);
  });

  it('ends running cells at once when the server dies, and leaves no orphan kernel', async () => {
    const jupyter = await startEmbeddedJupyter({ python: testPython(), rootDir: dir });
    const provider = new JupyterKernelProvider({ baseUrl: jupyter.url, token: jupyter.token });
    try {
      jupyter.onExit(() => provider.serverLost('The Jupyter Server stopped'));
      const kernel = await provider.startKernel({ notebookPath: 'y.ipynb' });
      const kernelPid = Number((await kernel.evaluate?.('import os; print(os.getpid())', { timeoutMs: 30_000 }))?.stdout);
      let started = false;
      const running = kernel.execute('import time\nprint("sleeping", flush=True)\ntime.sleep(600)', {
        onOutputs: () => (started = true),
      });
      await waitUntil('the cell to run', () => started);
      process.kill(jupyter.pid, 'SIGKILL');
      expect(await running).toMatchObject({ status: 'error', message: 'The Jupyter Server stopped' });
      expect(kernel.info).toMatchObject({ state: 'dead', message: 'The Jupyter Server stopped' });
      // The orphaned kernel notices its parent is gone (startup.py's watchdog, ipykernel's poller).
      await waitUntil('the orphaned kernel to exit', () => !isProcessAlive(kernelPid), 30_000);
    } finally {
      await provider.dispose();
      await jupyter.dispose();
    }
  });

  it('dies with the Node process that started it, kernels included, even on SIGKILL', async () => {
    const script = join(dir, 'parent.mts');
    await writeFile(
      script,
      `import { startEmbeddedJupyter } from ${JSON.stringify(join(repo, 'server/kernels/jupyter-process.ts'))};
import { JupyterKernelProvider } from ${JSON.stringify(join(repo, 'server/kernels/broker.ts'))};
const jupyter = await startEmbeddedJupyter({ python: ${JSON.stringify(testPython())}, rootDir: ${JSON.stringify(dir)} });
const provider = new JupyterKernelProvider({ baseUrl: jupyter.url, token: jupyter.token });
const kernel = await provider.startKernel({ notebookPath: 'x.ipynb' });
const { stdout } = await kernel.evaluate!('import os; print(os.getpid())', { timeoutMs: 30000 });
console.log(JSON.stringify({ jupyter: jupyter.pid, kernel: Number(stdout), runtimeDir: jupyter.runtimeDir }));
setInterval(() => {}, 1000);
`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(parent);
    const output = parent.stdout;
    if (!output) throw new Error('no stdout');
    const line = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: output });
      lines.on('line', (l) => l.startsWith('{') && resolve(l));
      parent.once('exit', (code) => reject(new Error(`parent exited early (${code})`)));
    });
    const pids = JSON.parse(line) as { jupyter: number; kernel: number; runtimeDir: string };
    expect(isProcessAlive(pids.jupyter)).toBe(true);
    expect(isProcessAlive(pids.kernel)).toBe(true);

    parent.kill('SIGKILL');
    await waitUntil('the Jupyter Server to exit', () => !isProcessAlive(pids.jupyter), 30_000);
    await waitUntil('its kernel to exit', () => !isProcessAlive(pids.kernel), 30_000);
    await waitUntil('its runtime folder to be removed', () => !existsSync(pids.runtimeDir), 10_000);
  });
});
