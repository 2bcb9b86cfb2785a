/**
 * Kernels that die or never become ready, through a whole Cellmate (sandboxed kernels where bwrap works): noticed,
 * shown to the tabs with the reason, the running cell failed with it, the queue released, the next run on a fresh
 * kernel; and other notebooks carry on meanwhile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { testPython } from '../helpers/jupyter.ts';
import { enc, executeCells, notebookWithCells, openNotebookSocket, writeKernelSpec } from '../helpers/notebook-socket.ts';

let cm: TestCellmate;
/** A second Cellmate whose kernels must be ready within 4 s, for the kernel that never is. */
let strict: TestCellmate;
let specs: string;
const savedJupyterPath = process.env.JUPYTER_PATH;

beforeAll(async () => {
  // Kernelspecs that misbehave: one that never answers, one that crashes at once. The embedded server finds them
  // through JUPYTER_PATH (its own python3 comes first).
  specs = await mkdtemp(join(tmpdir(), 'cellmate-specs-'));
  await writeKernelSpec(specs, 'sleepy', { argv: [testPython(), '-c', 'import time; time.sleep(600)'], display_name: 'Never ready' });
  await writeKernelSpec(specs, 'crashy', { argv: [testPython(), '-c', 'import sys; sys.exit(3)'], display_name: 'Crashes' });
  process.env.JUPYTER_PATH = specs;
  // A real kernel can take more than a few seconds to start on a loaded machine: only `strict` has a short timeout.
  cm = await startTestCellmate({ kernels: { poolSize: 0 } });
  strict = await startTestCellmate({ kernels: { poolSize: 0, startTimeoutMs: 4_000 } });
});

afterAll(async () => {
  await Promise.all([cm?.cleanup(), strict?.cleanup()]);
  if (savedJupyterPath === undefined) delete process.env.JUPYTER_PATH;
  else process.env.JUPYTER_PATH = savedJupyterPath;
  await rm(specs, { recursive: true, force: true });
});

async function setKernelspec(path: string, name: string, on: TestCellmate = cm): Promise<void> {
  const response = await on.api(`/api/notebooks/${enc(path)}`);
  const doc: unknown = await response.json();
  if (typeof doc !== 'object' || doc === null || !('metadata' in doc) || typeof doc.metadata !== 'object') throw new Error('no notebook');
  const next = { ...doc, metadata: { ...doc.metadata, kernelspec: { name, display_name: name, language: 'python' } } };
  const put = await on.api(`/api/notebooks/${enc(path)}`, { method: 'PUT', body: JSON.stringify(next) });
  expect(put.status).toBe(200);
}

describe('a kernel that dies under a cell', () => {
  it('is noticed: dead with the reason, the cell failed, the queue released, then a fresh kernel', async () => {
    const [setup, dying, queued, after] = await notebookWithCells(cm, 'dies.ipynb', [
      'x = 41',
      // The pause lets the output leave before the kill (ipykernel sends it from another thread).
      'print("dying", flush=True)\nimport os, signal, time\ntime.sleep(0.5)\nos.kill(os.getpid(), signal.SIGKILL)',
      'print("never runs")',
      'print("fresh", "x" in globals())',
    ]);
    // Another notebook runs meanwhile and must not notice.
    const [steady] = await notebookWithCells(cm, 'steady.ipynb', ['import time\nfor i in range(6):\n    print(i, flush=True)\n    time.sleep(0.5)']);
    if (!setup || !dying || !queued || !after || !steady) throw new Error('cells');
    const tab = await openNotebookSocket(cm, 'dies.ipynb');
    try {
      const other = executeCells(cm, 'steady.ipynb', [steady]);
      tab.send({ type: 'execute', cell_ids: [setup, dying, queued] });
      await tab.waitFor('the cell to print before it dies', (m) => m.type === 'edit' && m.edit.type === 'set_outputs' && m.edit.id === dying && JSON.stringify(m.edit.outputs).includes('dying'));
      // A dead kernel never answers: the cell ending at all (within the 30 s hang guard) is the death noticed.
      const ended = await tab.waitForRuntime(dying, 'the dying cell to end', (r) => r.status !== 'running');
      expect(ended).toMatchObject({ status: 'error', message: expect.stringContaining('SIGKILL') });
      expect(await tab.waitForRuntime(queued, 'the queued cell', (r) => r.status === 'aborted')).toMatchObject({
        message: expect.stringContaining('did not finish'),
      });
      const dead = await tab.waitForKernel('the kernel to be reported dead', (k) => k.state === 'dead');
      expect(dead.message).toMatch(/killed \(SIGKILL\)/);
      expect((await other)[0]).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: '0\n1\n2\n3\n4\n5\n' })] });

      const [result] = await executeCells(cm, 'dies.ipynb', [after]);
      expect(result).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: 'fresh False\n' })] });
      expect((await cm.sessions.open('dies.ipynb')).kernelInfo).toMatchObject({ state: 'idle' });
    } finally {
      await tab.close();
    }
  });

  it('says so when the kernel exits by itself (os._exit), and restart brings a fresh kernel', async () => {
    const [set, exit, check] = await notebookWithCells(cm, 'exits.ipynb', ['y = 1', 'import os\nos._exit(1)', 'print("y" in globals())']);
    if (!set || !exit || !check) throw new Error('cells');
    const [, died] = await executeCells(cm, 'exits.ipynb', [set, exit]);
    expect(died).toMatchObject({ status: 'error', message: 'The kernel exited with code 1' });
    // Restarting a dead kernel starts a new one (it used to refuse: "Kernel is dead").
    const restarted = await cm.api(`/api/notebooks/${enc('exits.ipynb')}/restart`, { method: 'POST' });
    expect(restarted.status).toBe(200);
    expect(await restarted.json()).toMatchObject({ kernel: { state: 'idle' } });
    const [result] = await executeCells(cm, 'exits.ipynb', [check]);
    expect(result).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: 'False\n' })] });
  });
});

describe('kernels that never become ready', () => {
  it('fail with a clear error after the start timeout, while another notebook runs on', async () => {
    const [stuck] = await notebookWithCells(strict, 'stuck.ipynb', ['print("no")']);
    const [warm, busy] = await notebookWithCells(strict, 'busy.ipynb', ['1', 'import time\nfor i in range(5):\n    print(i, flush=True)\n    time.sleep(0.4)']);
    if (!stuck || !warm || !busy) throw new Error('cells');
    // The busy notebook's kernel is started first: under load a real kernel may itself miss the 4 s, and then the
    // next run starts another (each try bounded by the timeout; the poll by the 30 s hang guard).
    await expect.poll(async () => (await executeCells(strict, 'busy.ipynb', [warm]))[0]?.status).toBe('ok');
    await setKernelspec('stuck.ipynb', 'sleepy', strict);
    const [stuckResult, busyResult] = await Promise.all([executeCells(strict, 'stuck.ipynb', [stuck]), executeCells(strict, 'busy.ipynb', [busy])]);
    expect(stuckResult[0]).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/kernel \(sleepy\) did not become ready within 4 s/),
    });
    expect(busyResult[0]).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: '0\n1\n2\n3\n4\n' })] });
    const session = await strict.sessions.open('stuck.ipynb');
    expect(session.kernelInfo).toMatchObject({ state: 'dead', message: expect.stringContaining('did not become ready') });
  });

  it('report a kernel that crashes while starting, with its exit code', async () => {
    const [cell] = await notebookWithCells(cm, 'crashy.ipynb', ['print("no")']);
    if (!cell) throw new Error('cells');
    await setKernelspec('crashy.ipynb', 'crashy');
    const [result] = await executeCells(cm, 'crashy.ipynb', [cell]);
    expect(result).toMatchObject({ status: 'error', message: expect.stringContaining('exited with code 3') });
  });

  it('refuse an unknown kernelspec with the ones available', async () => {
    const [cell] = await notebookWithCells(cm, 'unknown.ipynb', ['1']);
    if (!cell) throw new Error('cells');
    await setKernelspec('unknown.ipynb', 'no-such-kernel');
    const [result] = await executeCells(cm, 'unknown.ipynb', [cell]);
    expect(result).toMatchObject({ status: 'error', message: expect.stringMatching(/No kernel named "no-such-kernel".*available: .*python3/) });
  });
});
