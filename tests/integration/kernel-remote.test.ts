/**
 * `JUPYTER_URL`/`JUPYTER_TOKEN`: Cellmate uses a Jupyter Server it did not start (a plain one, on another port,
 * whose root is also Cellmate's workspace, so notebook paths mean the same on both sides). Notebooks run there,
 * interrupts and restarts work, and a server that goes away and comes back is retried and reported.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../server/kernels/jupyter-process.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { executeCells, notebookWithCells, openNotebookSocket } from '../helpers/notebook-socket.ts';
import { remoteJupyter, type RemoteJupyter } from '../helpers/remote-jupyter.ts';

let workspace: string;
let remote: RemoteJupyter;
let cm: TestCellmate;

beforeAll(async () => {
  workspace = await realpath(await mkdtemp(join(tmpdir(), 'cellmate-remote-ws-')));
  remote = await remoteJupyter({ rootDir: workspace, port: await findFreePort(), token: randomBytes(16).toString('hex') });
  await remote.start();
  cm = await startTestCellmate({ workspace, jupyter: { url: remote.url, token: remote.token }, kernels: { poolSize: 1, jupyterCheckMs: 500 } });
});

afterAll(async () => {
  await cm?.cleanup();
  await remote?.cleanup();
  await rm(workspace, { recursive: true, force: true });
});

async function remoteKernelIds(): Promise<string[]> {
  const response = await fetch(`${remote.url}api/kernels`, { headers: { Authorization: `token ${remote.token}` } });
  const kernels: unknown = await response.json();
  return Array.isArray(kernels) ? kernels.flatMap((k: unknown) => (typeof k === 'object' && k !== null && 'id' in k && typeof k.id === 'string' ? [k.id] : [])) : [];
}

describe('a remote Jupyter Server', () => {
  it('runs the notebooks, in their folder, and says the sandbox is not ours', async () => {
    expect(cm.kernels.status()).toMatchObject({
      jupyter: { state: 'running', embedded: false },
      sandbox: { enabled: false, reason: expect.stringContaining(remote.url) },
    });
    const [where] = await notebookWithCells(cm, 'remote.ipynb', ['import os\nprint(os.getcwd())']);
    if (!where) throw new Error('cells');
    const [result] = await executeCells(cm, 'remote.ipynb', [where]);
    expect(result).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: `${workspace}\n` })] });
    expect((await remoteKernelIds()).length).toBeGreaterThanOrEqual(1);
  });

  it('interrupts and restarts there', async () => {
    const [keep, sleep, check] = await notebookWithCells(cm, 'remote-ops.ipynb', ['kept = 1', 'import time\nprint("zz", flush=True)\ntime.sleep(600)', 'print("kept" in globals())']);
    if (!keep || !sleep || !check) throw new Error('cells');
    await executeCells(cm, 'remote-ops.ipynb', [keep]);
    const tab = await openNotebookSocket(cm, 'remote-ops.ipynb');
    try {
      tab.send({ type: 'execute', cell_ids: [sleep] });
      await tab.waitFor('the sleep', (m) => m.type === 'edit' && m.edit.type === 'set_outputs' && m.edit.id === sleep && JSON.stringify(m.edit.outputs).includes('zz'));
      tab.send({ type: 'interrupt' });
      expect(await tab.waitForRuntime(sleep, 'the interrupt', (r) => r.status !== 'running')).toMatchObject({ status: 'error' });
      const [still] = await executeCells(cm, 'remote-ops.ipynb', [check]);
      expect(still?.outputs[0]?.text).toBe('True\n');
      const restarted = await cm.api('/api/notebooks/remote-ops.ipynb/restart', { method: 'POST' });
      expect(restarted.status).toBe(200);
      const [fresh] = await executeCells(cm, 'remote-ops.ipynb', [check]);
      expect(fresh?.outputs[0]?.text).toBe('False\n');
    } finally {
      await tab.close();
    }
  });

  it('is retried and reported when it goes away, and used again when it is back', async () => {
    const [set, check] = await notebookWithCells(cm, 'remote-drop.ipynb', ['y = 1', 'print("y" in globals())']);
    if (!set || !check) throw new Error('cells');
    await executeCells(cm, 'remote-drop.ipynb', [set]);
    const tab = await openNotebookSocket(cm, 'remote-drop.ipynb');
    try {
      const before = tab.messages.length;
      await remote.stop();
      await waitFor('Cellmate to notice', () => cm.kernels.status().jupyter.state === 'unreachable');
      expect(cm.kernels.status().jupyter.message).toMatch(/^Lost the connection to the Jupyter Server at http:\/\/127\.0\.0\.1:\d+\/ \(.+\); retrying$/);
      expect((await fetch(`${cm.url}/api/health`)).status).toBe(200);

      await remote.start();
      await waitFor('Cellmate to use it again', () => cm.kernels.status().jupyter.state === 'running');
      // The restarted server has no kernel of ours any more: the tab is told its kernel is gone. A stopping server
      // shuts its kernels down before it stops answering, so a health check in between may find the kernel gone
      // first: then the tab is told that, at once, instead of seeing it reconnect.
      const lost = await tab.waitForKernel('the tab to learn the kernel is gone', (k) => k.state === 'dead', before);
      const restartedThere = `The Jupyter Server at ${remote.url} was restarted: the kernel and its variables are gone; the next run starts a new one`;
      const goneThere = `The kernel is gone from the Jupyter Server at ${remote.url} (shut down there, or culled after being idle): its variables are gone; the next run starts a new one`;
      expect([restartedThere, goneThere]).toContain(lost.message);
      // Told of the restart, the tab saw its kernel reconnecting meanwhile.
      if (lost.message === restartedThere) expect(tab.messages.some((m) => m.type === 'kernel' && m.kernel.state === 'disconnected')).toBe(true);
      const [result] = await executeCells(cm, 'remote-drop.ipynb', [check]);
      expect(result).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: 'False\n' })] });
    } finally {
      await tab.close();
    }
  });
});
