/**
 * The warm pool and kernel choice through a whole Cellmate: a new notebook's first run takes a warm kernel (moved
 * to the notebook's folder, never shared, replaced in the background), and a notebook's kernel follows its
 * `metadata.kernelspec`, switched with `POST /api/notebooks/{path}/kernel`.
 */
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { testPython } from '../helpers/jupyter.ts';
import { enc, executeCells, notebookWithCells, openNotebookSocket, writeKernelSpec } from '../helpers/notebook-socket.ts';

let cm: TestCellmate;
let specs: string;
const savedJupyterPath = process.env.JUPYTER_PATH;

beforeAll(async () => {
  // A second Python kernelspec, told apart by an environment variable.
  specs = await mkdtemp(join(tmpdir(), 'cellmate-specs-'));
  await writeKernelSpec(specs, 'python3-alt', {
    argv: [testPython(), '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
    display_name: 'Python 3 (alternative)',
  });
  const spec = join(specs, 'kernels', 'python3-alt', 'kernel.json');
  await writeFile(spec, JSON.stringify({ ...JSON.parse(await readFile(spec, 'utf8')), env: { SPEC_FLAVOR: 'alt' } }));
  process.env.JUPYTER_PATH = specs;
  cm = await startTestCellmate({ kernels: { poolSize: 1 } });
});

afterAll(async () => {
  await cm?.cleanup();
  if (savedJupyterPath === undefined) delete process.env.JUPYTER_PATH;
  else process.env.JUPYTER_PATH = savedJupyterPath;
  await rm(specs, { recursive: true, force: true });
});

const poolReady = () => waitFor('a warm kernel in the pool', () => cm.kernels.status().pool.ready === 1, 60_000);

/** Output text of a REST run of one cell. */
async function runText(path: string, id: string): Promise<string> {
  const [result] = await executeCells(cm, path, [id]);
  if (result?.status !== 'ok') throw new Error(`cell failed: ${JSON.stringify(result)}`);
  return result.outputs.map((o) => o.text ?? '').join('');
}

describe('the warm pool', () => {
  it("gives a new notebook a warm kernel working in the notebook's folder, and refills", async () => {
    await poolReady();
    await mkdir(join(cm.workspace, 'sub', 'deeper'), { recursive: true });
    const [probe] = await notebookWithCells(cm, 'sub/deeper/nb.ipynb', [
      'import os, json\nprint(json.dumps({"cwd": os.getcwd(), "pwd": os.environ.get("PWD"), "session": os.environ.get("JPY_SESSION_NAME"), "dh": _dh, "names": sorted(n for n in globals() if not n.startswith("_"))}))',
    ]);
    if (!probe) throw new Error('cells');
    // The one kernel the Jupyter Server runs now is the pool's: the notebook must get that very kernel.
    const embedded = cm.kernels.supervisor.embedded;
    if (!embedded) throw new Error('no embedded server');
    const jupyter = async (route: string): Promise<unknown> => (await fetch(`${embedded.url}${route}`, { headers: { Authorization: `token ${embedded.token}` } })).json();
    const kernelIds = async () => z.array(z.object({ id: z.string() })).parse(await jupyter('api/kernels')).map((k) => k.id);
    const warm = await kernelIds();
    expect(warm).toHaveLength(1);
    const startedAt = Date.now();
    const seen = JSON.parse(await runText('sub/deeper/nb.ipynb', probe)) as { cwd: string; pwd: string; session: string; dh: string[]; names: string[] };
    const firstRunMs = Date.now() - startedAt;
    const folder = join(await realpath(cm.workspace), 'sub', 'deeper');
    expect(seen).toEqual({
      cwd: folder,
      pwd: folder,
      session: 'sub/deeper/nb.ipynb',
      dh: [folder],
      names: ['In', 'Out', 'exit', 'get_ipython', 'json', 'os', 'quit'],
    });
    // The Jupyter session now names the notebook, as if the kernel had been started for it, and its kernel is
    // the one that was warm (no pool: a kernel started for the notebook, with another id).
    const sessions = z.array(z.object({ path: z.string(), kernel: z.object({ id: z.string() }) })).parse(await jupyter('api/sessions'));
    expect(sessions.find((s) => s.path === 'sub/deeper/nb.ipynb')?.kernel.id).toBe(warm[0]);
    // The pool refills with a kernel of its own.
    await poolReady();
    expect((await kernelIds()).filter((id) => id !== warm[0])).toHaveLength(1);

    // Without the pool (another kernelspec is never pooled) the first run waits for a kernel start.
    const [cold] = await notebookWithCells(cm, 'cold.ipynb', ['print("cold")']);
    if (!cold) throw new Error('cells');
    const session = await cm.sessions.open('cold.ipynb');
    const kernelspec = { name: 'python3-alt', display_name: 'alt', language: 'python' };
    session.applyEdits([{ type: 'set_notebook_metadata', metadata: { ...session.doc().metadata, kernelspec } }], 'api');
    const coldStartedAt = Date.now();
    await runText('cold.ipynb', cold);
    const coldRunMs = Date.now() - coldStartedAt;
    // Measured, not asserted: wall-clock times on a shared machine vary too much for a test.
    console.info(`first run: ${firstRunMs} ms with a warm kernel, ${coldRunMs} ms with a cold start`);
  });

  it("keeps a warm kernel in its notebook's folder when it is restarted (Jupyter starts it where it first started)", async () => {
    await poolReady();
    await mkdir(join(cm.workspace, 'kept'), { recursive: true });
    const [where] = await notebookWithCells(cm, 'kept/nb.ipynb', ['import os\nprint(os.getcwd(), "x" in globals())\nx = 1']);
    if (!where) throw new Error('cells');
    const folder = join(await realpath(cm.workspace), 'kept');
    expect(await runText('kept/nb.ipynb', where)).toBe(`${folder} False\n`);
    const restarted = await cm.api(`/api/notebooks/${enc('kept/nb.ipynb')}/restart`, { method: 'POST' });
    expect(restarted.status).toBe(200);
    expect(await runText('kept/nb.ipynb', where)).toBe(`${folder} False\n`);
  });

  it('never shares a kernel between notebooks', async () => {
    await poolReady();
    const [setA] = await notebookWithCells(cm, 'a.ipynb', ['marker = "a"']);
    await poolReady();
    const [checkB] = await notebookWithCells(cm, 'b.ipynb', ['print("marker" in globals())']);
    if (!setA || !checkB) throw new Error('cells');
    await runText('a.ipynb', setA);
    expect(await runText('b.ipynb', checkB)).toBe('False\n');
  });
});

describe('kernel choice', () => {
  it('lists the kernelspecs, the default and the state of the kernel side', async () => {
    const response = await cm.api('/api/kernelspecs');
    expect(response.status).toBe(200);
    const body: unknown = await response.json();
    expect(body).toMatchObject({
      default: 'python3',
      specs: expect.arrayContaining([
        { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
        { name: 'python3-alt', display_name: 'Python 3 (alternative)', language: 'python' },
      ]),
      sandbox: { enabled: expect.any(Boolean), reason: expect.any(String) },
      jupyter: { state: 'running', embedded: true },
      pool: { size: 1 },
    });
  });

  it("switches a notebook's kernel through its metadata, and refuses an unknown one", async () => {
    const [flavor] = await notebookWithCells(cm, 'switch.ipynb', ['import os\nprint(os.environ.get("SPEC_FLAVOR", "default"))']);
    if (!flavor) throw new Error('cells');
    expect(await runText('switch.ipynb', flavor)).toBe('default\n');
    const tab = await openNotebookSocket(cm, 'switch.ipynb');
    try {
      const switched = await cm.api(`/api/notebooks/${enc('switch.ipynb')}/kernel`, { method: 'POST', body: JSON.stringify({ name: 'python3-alt' }) });
      expect(switched.status).toBe(200);
      expect(await switched.json()).toMatchObject({ kernel: { state: 'idle', name: 'python3-alt' }, kernelspec: { name: 'python3-alt' } });
      await tab.waitFor('the metadata edit', (m) => m.type === 'edit' && m.edit.type === 'set_notebook_metadata' && JSON.stringify(m.edit.metadata).includes('python3-alt'));
      expect(await runText('switch.ipynb', flavor)).toBe('alt\n');
      const doc = (await cm.sessions.open('switch.ipynb')).doc();
      expect(doc.metadata['kernelspec']).toEqual({ name: 'python3-alt', display_name: 'Python 3 (alternative)', language: 'python' });

      const unknown = await cm.api(`/api/notebooks/${enc('switch.ipynb')}/kernel`, { method: 'POST', body: JSON.stringify({ name: 'cobol' }) });
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toEqual({ error: expect.stringMatching(/^No kernel named "cobol" on the Jupyter Server; available: .*python3/) });

      const back = await cm.api(`/api/notebooks/${enc('switch.ipynb')}/kernel`, { method: 'POST', body: JSON.stringify({ name: 'python3' }) });
      expect(back.status).toBe(200);
      expect(await runText('switch.ipynb', flavor)).toBe('default\n');
    } finally {
      await tab.close();
    }
  });
});
