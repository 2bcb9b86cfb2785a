/**
 * The start script stopped by a signal, as a JupyterHub spawner (or a service manager) stops it: a change that
 * only the server holds (typed over the notebook's WebSocket, with the autosave put off for ten minutes by
 * `CELLMATE_AUTOSAVE_MS`) and the output of a run are on disk once the process has exited, with status 0, and
 * the kernel processes it started are gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../server/kernels/jupyter-process.ts';
import { repoRoot } from '../../server/server.ts';
import { waitFor } from '../helpers/cellmate.ts';
import { isProcessAlive } from '../helpers/jupyter.ts';
import { enc, openNotebookSocket } from '../helpers/notebook-socket.ts';

let workspace: string;
let child: ChildProcess;
let output = '';
const token = randomBytes(12).toString('hex');
let url: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'cellmate-stop-signal-'));
  const port = await findFreePort();
  url = `http://127.0.0.1:${port}`;
  // The test's own environment minus anything that would make the child a hub's server.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('JUPYTERHUB_') && !name.startsWith('CELLMATE_')));
  child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], {
    cwd: workspace,
    env: { ...env, CELLMATE_PORT: String(port), CELLMATE_HOST: '127.0.0.1', CELLMATE_TOKEN: token, CELLMATE_WORKSPACE: workspace, CELLMATE_AUTOSAVE_MS: '600000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  await waitFor('the server to start', () => {
    if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}):\n${output}`);
    return output.includes('Cellmate is running');
  }, 90_000);
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(workspace, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

/** Processes under `root` (its children, theirs…) whose command line says they are an IPython kernel. */
function kernelsUnder(root: number): number[] {
  const parents = new Map<number, number>();
  const kernels = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes('ipykernel_launcher')) kernels.add(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  const isUnderRoot = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  return [...kernels].filter(isUnderRoot);
}

describe('stopped by a signal', () => {
  it('saves what only the server held, shuts its kernels down and exits 0 on SIGTERM', async () => {
    const path = 'kept.ipynb';
    expect((await api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path }) })).status).toBe(201);
    const tab = await openNotebookSocket({ url, token }, path);
    const snapshot = await tab.waitFor('snapshot', (m) => m.type === 'snapshot');
    if (snapshot.type !== 'snapshot') throw new Error('unreachable');
    const cellId = snapshot.doc.cells[0]!.id;

    tab.send({ type: 'edit', seq: 1, edit: { type: 'set_source', id: cellId, source: 'print("ran before the stop")' }, source: 'keyboard' });
    tab.send({ type: 'execute', cell_ids: [cellId] });
    await tab.waitForRuntime(cellId, 'the run to end', (runtime) => runtime.status === 'ok');
    const kernels = kernelsUnder(child.pid!);
    expect(kernels.length).toBeGreaterThan(0);

    const marker = '# typed just before the stop';
    tab.send({ type: 'edit', seq: 2, edit: { type: 'set_source', id: cellId, source: `print("ran before the stop")\n${marker}` }, source: 'keyboard' });
    await waitFor('the server to hold the change', async () => (await (await api(`/api/notebooks/${enc(path)}`)).text()).includes(marker));
    // Only in the server so far: the autosave is ten minutes away.
    const before = await readFile(join(workspace, path), 'utf8');
    expect(before).not.toContain(marker);
    expect(before).not.toContain('ran before the stop');

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const saved = await readFile(join(workspace, path), 'utf8');
    expect(saved).toContain(marker);
    expect(saved).toContain('ran before the stop\\n');
    expect(kernels.filter(isProcessAlive)).toEqual([]);
    await tab.close();
  }, 120_000);
});
