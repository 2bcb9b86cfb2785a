/**
 * The embedded Jupyter Server dies (SIGKILL): Cellmate starts it again, the tabs are told their kernel's state
 * was lost, running cells fail with that reason, the documents are untouched, and the next run gets a new kernel.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { isProcessAlive } from '../helpers/jupyter.ts';
import { executeCells, notebookWithCells, openNotebookSocket } from '../helpers/notebook-socket.ts';

let cm: TestCellmate;

beforeAll(async () => {
  cm = await startTestCellmate({ kernels: { poolSize: 1 } });
});

afterAll(async () => {
  await cm?.cleanup();
});

describe('when the embedded Jupyter Server dies', () => {
  it('is started again; kernels are reported lost, documents kept, the next run gets a new kernel', async () => {
    const [setup, sleeper, check] = await notebookWithCells(cm, 'survivor.ipynb', [
      'x = 1',
      'import time\nprint("sleeping", flush=True)\ntime.sleep(600)',
      'print("x" in globals())',
    ]);
    if (!setup || !sleeper || !check) throw new Error('cells');
    await executeCells(cm, 'survivor.ipynb', [setup]);
    const tab = await openNotebookSocket(cm, 'survivor.ipynb');
    try {
      tab.send({ type: 'execute', cell_ids: [sleeper] });
      await tab.waitFor('the cell to run', (m) => m.type === 'edit' && m.edit.type === 'set_outputs' && m.edit.id === sleeper && JSON.stringify(m.edit.outputs).includes('sleeping'));
      const old = cm.kernels.supervisor.embedded;
      if (!old) throw new Error('no embedded server');
      const before = tab.messages.length;
      process.kill(old.pid, 'SIGKILL');

      const lost = await tab.waitForKernel('the tab to be told', (k) => k.state === 'dead', before);
      expect(lost.message).toBe('The Jupyter Server stopped unexpectedly (SIGKILL): the kernel and its variables are gone; the next run starts a new one');
      expect(await tab.waitForRuntime(sleeper, 'the running cell to fail', (r) => r.status !== 'running')).toMatchObject({
        status: 'error',
        message: lost.message,
      });
      // A run asked for meanwhile waits for the server to be back, then gets a new kernel.
      const [result] = await executeCells(cm, 'survivor.ipynb', [check]);
      expect(result).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: 'False\n' })] });
      expect(cm.kernels.status().jupyter).toMatchObject({ state: 'running', restarts: 1 });
      expect(cm.kernels.supervisor.embedded?.pid).not.toBe(old.pid);
      expect(isProcessAlive(old.pid)).toBe(false);

      // The document is as it was: the cells and their sources, saved.
      const session = await cm.sessions.open('survivor.ipynb');
      await session.flush();
      const saved = JSON.parse(await readFile(join(cm.workspace, 'survivor.ipynb'), 'utf8')) as { cells: { source: string | string[] }[] };
      const sources = saved.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
      expect(sources).toEqual(['', 'x = 1', 'import time\nprint("sleeping", flush=True)\ntime.sleep(600)', 'print("x" in globals())']);
      // The warm pool refills against the new server.
      await waitFor('the pool to refill', () => cm.kernels.status().pool.ready === 1, 60_000);
    } finally {
      await tab.close();
    }
  });
});
