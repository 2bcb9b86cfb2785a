/**
 * A 2,000-cell notebook with 20 MB of outputs does not take the server away: while it loads and while a save of
 * it runs, other requests are answered (their answers arrive before the save ends), and edits keep flowing.
 * Order and completion are asserted, never wall-clock time (that is `npm run bench`'s job).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientId } from '../protocol/index.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { serializeNotebook } from '../store/serializer.ts';
import { Workspace } from '../store/storage.ts';
import { bigNotebook } from '../../tests/fixtures/big-notebook.ts';
import { createApp } from './app.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

let root: string;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-big-'));
  await writeFile(join(root, 'big.ipynb'), serializeNotebook(bigNotebook()));
  const workspace = new Workspace(root);
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 60_000, watchFiles: false });
  app = createApp({ token: 't', sessions, workspace });
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Runs `task` while asking for /api/health over and over; returns the order in which things finished. */
async function whileAnswering(task: () => Promise<unknown>): Promise<string[]> {
  const events: string[] = [];
  let isRunning = true;
  const ask = async () => {
    while (isRunning) {
      const res = await app.request('/api/health');
      if (isRunning) events.push(`health ${res.status}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const asking = ask();
  await task();
  events.push('done');
  isRunning = false;
  await asking;
  return events;
}

describe('a 2,000-cell notebook with 20 MB of outputs', () => {
  it('loads, takes edits and saves while the server goes on answering', async () => {
    const loading = await whileAnswering(async () => app.request('/api/notebooks/big.ipynb', { headers: { authorization: 'Bearer t' } }));
    expect(loading.at(-1)).toBe('done');
    const session = (await sessions.get('big.ipynb'))!;
    expect(session.doc().cells).toHaveLength(2000);

    const sent: string[] = [];
    session.connect({ clientId: ClientId.create(), send: (message) => sent.push(message.type) });
    const code = session.doc().cells.filter((cell) => cell.cell_type === 'code');
    for (let n = 0; n < 1000; n++) session.applyEdits([{ type: 'set_source', id: code[n % code.length]!.id, source: `x = ${n}` }], 'api');
    expect(sent.filter((type) => type === 'edit')).toHaveLength(1000);

    const saving = await whileAnswering(() => session.flush());
    const done = saving.indexOf('done');
    // Requests were answered while the save was still running, not only once it was over.
    expect(saving.slice(0, done).filter((event) => event === 'health 200').length).toBeGreaterThan(0);
    expect(sent).toContain('saved');
    const onDisk = JSON.parse(await readFile(join(root, 'big.ipynb'), 'utf8'));
    expect(onDisk.cells).toHaveLength(2000);
    expect([onDisk.cells[1].source].flat().join('')).toBe('x = 0');
  });
});
