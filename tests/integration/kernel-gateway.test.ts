/**
 * `JUPYTER_URL` pointing at a kernel gateway (Jupyter Enterprise Gateway): a real Jupyter Server behind a filter
 * that serves only what a gateway serves and refuses (404) everything else. Cellmate finds out it is a gateway,
 * and notebooks run, interrupt, restart, complete and survive a kernel's death without one refused request
 * (besides the one that told it: `GET /api/sessions`). The server's root is the workspace here, so each kernel
 * can be seen moving into its notebook's folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionSchema, inspectionSchema } from '../../server/protocol/index.ts';
import { findFreePort } from '../../server/kernels/jupyter-process.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { gatewayFilter, type GatewayFilter } from '../helpers/gateway-filter.ts';
import { enc, executeCells, notebookWithCells, openNotebookSocket } from '../helpers/notebook-socket.ts';
import { remoteJupyter, type RemoteJupyter } from '../helpers/remote-jupyter.ts';

let workspace: string;
let remote: RemoteJupyter;
let filter: GatewayFilter;
let cm: TestCellmate;
const CWD = 'import os\nprint(os.getcwd())';

beforeAll(async () => {
  workspace = await realpath(await mkdtemp(join(tmpdir(), 'cellmate-gateway-ws-')));
  await mkdir(join(workspace, 'sales', 'q1'), { recursive: true });
  await mkdir(join(workspace, 'ops'), { recursive: true });
  remote = await remoteJupyter({ rootDir: workspace, port: await findFreePort(), token: randomBytes(16).toString('hex') });
  await remote.start();
  filter = await gatewayFilter({ port: remote.port });
  cm = await startTestCellmate({
    workspace,
    jupyter: { url: filter.url, token: remote.token },
    kernels: { poolSize: 1, jupyterCheckMs: 300, interruptGraceMs: 10_000 },
  });
}, 60_000);

afterAll(async () => {
  await cm?.cleanup();
  await filter?.close();
  await remote?.cleanup();
  await rm(workspace, { recursive: true, force: true });
});

describe('a kernel gateway', () => {
  it('is found to be one, and runs notebooks in their folders (a pooled kernel, and one started for its notebook)', async () => {
    expect(cm.kernels.status().jupyter).toMatchObject({ state: 'running', embedded: false, gateway: true });
    expect(filter.requests.find((r) => r.path === '/api/sessions')).toMatchObject({ method: 'GET', passed: false });

    const [here] = await notebookWithCells(cm, 'sales/q1/report.ipynb', [CWD]);
    if (!here) throw new Error('cells');
    const [result] = await executeCells(cm, 'sales/q1/report.ipynb', [here]);
    expect(result).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: `${join(workspace, 'sales', 'q1')}\n` })] });

    // Past the pool: a kernel started for its notebook (a folder the server doesn't have: the nearest parent).
    const direct = await cm.kernels.provider.startKernel({ notebookPath: 'ops/missing/deep.ipynb' });
    try {
      const run = await direct.execute(CWD);
      expect(run).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: `${join(workspace, 'ops')}\n` })] });
    } finally {
      await direct.shutdown();
    }
    const starts = filter.requests.filter((r) => r.method === 'POST' && r.path === '/api/kernels');
    expect(starts.length).toBeGreaterThanOrEqual(2);
    // Each start asks the gateway to wait for the kernel as long as Cellmate does (60 s by default).
    for (const start of starts) expect(start.body).toMatchObject({ env: { KERNEL_LAUNCH_TIMEOUT: '60' } });
  });

  it('interrupts, restarts (the new process back in the folder), completes and inspects', async () => {
    const path = 'sales/ops.ipynb';
    const [keep, sleep, check, where] = await notebookWithCells(cm, path, [
      'kept = 1',
      'import time\nprint("zz", flush=True)\ntime.sleep(600)',
      'print("kept" in globals())',
      CWD,
    ]);
    if (!keep || !sleep || !check || !where) throw new Error('cells');
    await executeCells(cm, path, [keep]);
    const tab = await openNotebookSocket(cm, path);
    try {
      tab.send({ type: 'execute', cell_ids: [sleep] });
      await tab.waitFor('the sleep', (m) => m.type === 'edit' && m.edit.type === 'set_outputs' && m.edit.id === sleep && JSON.stringify(m.edit.outputs).includes('zz'));
      tab.send({ type: 'interrupt' });
      expect(await tab.waitForRuntime(sleep, 'the interrupt', (r) => r.status !== 'running')).toMatchObject({ status: 'error' });
    } finally {
      await tab.close();
    }
    const [still] = await executeCells(cm, path, [check]);
    expect(still?.outputs[0]?.text).toBe('True\n');

    const completion = completionSchema.parse(
      await (await cm.api(`/api/notebooks/${enc(path)}/complete`, { method: 'POST', body: JSON.stringify({ code: 'import o', cursor_pos: 8 }) })).json(),
    );
    expect(completion).toMatchObject({ status: 'ok', matches: expect.arrayContaining(['os']) });
    const inspection = inspectionSchema.parse(
      await (await cm.api(`/api/notebooks/${enc(path)}/inspect`, { method: 'POST', body: JSON.stringify({ code: 'len', cursor_pos: 3 }) })).json(),
    );
    expect(inspection).toMatchObject({ status: 'ok', found: true });

    const restarted = await cm.api(`/api/notebooks/${enc(path)}/restart`, { method: 'POST' });
    expect(restarted.status).toBe(200);
    const [fresh, there] = await executeCells(cm, path, [check, where]);
    expect(fresh?.outputs[0]?.text).toBe('False\n');
    expect(there?.outputs[0]?.text).toBe(`${join(workspace, 'sales')}\n`);
    expect(filter.requests.some((r) => r.method === 'POST' && /^\/api\/kernels\/[^/]+\/interrupt$/.test(r.path))).toBe(true);
    expect(filter.requests.some((r) => r.method === 'POST' && /^\/api\/kernels\/[^/]+\/restart$/.test(r.path))).toBe(true);
  });

  it('reports a kernel that dies, and the server’s new one runs in the notebook’s folder', async () => {
    const path = 'ops/dies.ipynb';
    const [set, exit, check] = await notebookWithCells(cm, path, ['y = 1', 'import os\nos._exit(1)', `print("y" in globals())\n${CWD}`]);
    if (!set || !exit || !check) throw new Error('cells');
    const [, died] = await executeCells(cm, path, [set, exit]);
    expect(died).toMatchObject({ status: 'error' });
    // Jupyter restarts a kernel that died; the next run gets it (or a new one), in the notebook's folder.
    const [after] = await waitFor('a run after the death', async () => {
      const cells = await executeCells(cm, path, [check]);
      return cells[0]?.status === 'ok' ? cells : undefined;
    });
    expect(after?.outputs[0]?.text).toBe(`False\n${join(workspace, 'ops')}\n`);
  });

  it('notices a kernel the gateway culled, and the next run starts a new one', async () => {
    const path = 'ops/culled.ipynb';
    const [set, check] = await notebookWithCells(cm, path, ['z = 1\nfrom ipykernel import get_connection_file\nprint(get_connection_file())', 'print("z" in globals())']);
    if (!set || !check) throw new Error('cells');
    const [first] = await executeCells(cm, path, [set]);
    const kernelId = /kernel-([0-9a-f-]+)\.json/.exec(first?.outputs[0]?.text ?? '')?.[1];
    if (!kernelId) throw new Error(`no kernel id in ${JSON.stringify(first)}`);
    const tab = await openNotebookSocket(cm, path);
    try {
      const before = tab.messages.length;
      // Culling as a gateway does it: the kernel shut down on the server, behind Cellmate's back.
      const culled = await fetch(`${remote.url}api/kernels/${kernelId}`, { method: 'DELETE', headers: { Authorization: `token ${remote.token}` } });
      expect(culled.status).toBe(204);
      const gone = await tab.waitForKernel('the tab to learn the kernel is gone', (k) => k.state === 'dead', before, 15_000);
      expect(gone.message).toBe(
        `The kernel is gone from the Jupyter Server at ${filter.url} (shut down there, or culled after being idle): its variables are gone; the next run starts a new one`,
      );
    } finally {
      await tab.close();
    }
    const [again] = await executeCells(cm, path, [check]);
    expect(again).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: 'False\n' })] });
  });

  it('shuts its kernels down with DELETE, and asked for nothing a gateway lacks', async () => {
    await cm.close();
    expect(filter.requests.some((r) => r.method === 'DELETE' && r.path.startsWith('/api/kernels/'))).toBe(true);
    expect(filter.requests.some((r) => r.isWebSocket && r.passed && r.path.endsWith('/channels'))).toBe(true);
    // The server was watched through `/api` (a refused `/api/status` would also have made it "unreachable").
    expect(filter.requests.filter((r) => r.path === '/api').length).toBeGreaterThan(2);
    expect(filter.refused()).toEqual([{ method: 'GET', path: '/api/sessions', isWebSocket: false, passed: false }]);
  });
});
