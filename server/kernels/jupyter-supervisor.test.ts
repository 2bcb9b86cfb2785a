import { describe, expect, it } from 'vitest';
import type { EmbeddedJupyter, JupyterExit } from './jupyter-process.ts';
import { JupyterSupervisor, type SupervisedProvider } from './jupyter-supervisor.ts';

function fakeJupyter(port: number) {
  const listeners = new Set<(exit: JupyterExit) => void>();
  let disposed = false;
  const jupyter: EmbeddedJupyter & { crash(signal: NodeJS.Signals): void; readonly disposed: boolean } = {
    url: `http://127.0.0.1:${port}/`,
    token: `t${port}`,
    port,
    pid: port,
    runtimeDir: '/nowhere',
    logTail: () => '',
    onExit: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: async () => {
      disposed = true;
    },
    killSync: () => {},
    crash: (signal) => {
      for (const listener of listeners) listener({ code: null, signal });
    },
    get disposed() {
      return disposed;
    },
  };
  return jupyter;
}

function recordingProvider() {
  const events: string[] = [];
  const provider: SupervisedProvider = {
    serverDown: (reason) => void events.push(`down: ${reason}`),
    serverLost: (reason) => void events.push(`lost: ${reason}`),
    serverUp: (connection) => void events.push(`up: ${connection?.baseUrl ?? 'same'}`),
    serverFailed: (reason) => void events.push(`failed: ${reason}`),
    dropVanishedKernels: async (reason) => void events.push(`drop: ${reason}`),
  };
  return { provider, events };
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('JupyterSupervisor (embedded)', () => {
  it('reports the kernels lost and starts the server again', async () => {
    const { provider, events } = recordingProvider();
    const first = fakeJupyter(1);
    let port = 1;
    const supervisor = await JupyterSupervisor.start({ provider, initial: first, startEmbedded: async () => fakeJupyter(++port), backoffMs: 1 });
    first.crash('SIGKILL');
    await until('the restart', () => supervisor.status.state === 'running' && supervisor.status.restarts === 1);
    expect(events).toEqual([
      'down: The Jupyter Server stopped unexpectedly (SIGKILL) and is being restarted',
      'lost: The Jupyter Server stopped unexpectedly (SIGKILL): the kernel and its variables are gone; the next run starts a new one',
      'up: http://127.0.0.1:2/',
    ]);
    expect(first.disposed).toBe(true);
    expect(supervisor.embedded?.port).toBe(2);
    await supervisor.dispose();
  });

  it('gives up after the allowed restarts with a clear message', async () => {
    const { provider, events } = recordingProvider();
    const first = fakeJupyter(1);
    const supervisor = await JupyterSupervisor.start({
      provider,
      initial: first,
      startEmbedded: async () => {
        throw new Error('Jupyter Server (python3 -m jupyter_server) exited (code 1).\nLast output: …');
      },
      backoffMs: 1,
      maxRestarts: 3,
    });
    first.crash('SIGTERM');
    await until('giving up', () => supervisor.status.state === 'failed');
    expect(supervisor.status.message).toBe(
      'The Jupyter Server could not be restarted (3 restarts within 10 min; last error: Jupyter Server (python3 -m jupyter_server) exited (code 1).). Restart Cellmate.',
    );
    expect(events.at(-1)).toBe(`failed: ${supervisor.status.message}`);
    await supervisor.dispose();
  });

  it('does not restart a server it stopped itself', async () => {
    const { provider, events } = recordingProvider();
    const first = fakeJupyter(1);
    const supervisor = await JupyterSupervisor.start({ provider, initial: first, startEmbedded: async () => fakeJupyter(2), backoffMs: 1 });
    await supervisor.dispose();
    first.crash('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual([]);
  });
});
