/**
 * `PATCH …/cells/{id}` with `base_source`: the caller's new text is merged with what was typed into the cell
 * since the caller read it, instead of replacing it; without `base_source` the text is replaced as before.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CellId } from '../protocol/index.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { Workspace } from '../store/storage.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';
import { createApp } from './app.ts';

const token = 'test-token';
const json = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
let root: string;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-patch-merge-'));
  const workspace = new Workspace(root);
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10 });
  app = createApp({ token, sessions, workspace });
});
afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

async function cellWith(path: string, source: string): Promise<CellId> {
  expect((await app.request('/api/notebooks', { method: 'POST', headers: json, body: JSON.stringify({ path }) })).status).toBe(201);
  const added = await app.request(`/api/notebooks/${path}/cells`, { method: 'POST', headers: json, body: JSON.stringify({ source }) });
  return CellId.from(((await added.json()) as { id: string }).id);
}

const patch = (path: string, id: CellId, body: object) =>
  app.request(`/api/notebooks/${path}/cells/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify(body) });

describe('PATCH a cell made from an older text', () => {
  it('keeps what was typed since the caller read the cell', async () => {
    const id = await cellWith('merge.ipynb', 'x = 1\nprint(x)');
    const session = await sessions.open('merge.ipynb');
    // Someone types at the end of the cell after the caller read it.
    session.applyEdits([{ type: 'set_source', id, source: 'x = 1\nprint(x)  # typed meanwhile' }], 'keyboard');
    const res = await patch('merge.ipynb', id, { base_source: 'x = 1\nprint(x)', source: 'x = 2\nprint(x)' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { source: string }).source).toBe('x = 2\nprint(x)  # typed meanwhile');
  });

  it('replaces the text as before without base_source, and refuses base_source alone', async () => {
    const id = await cellWith('replace.ipynb', 'a');
    const session = await sessions.open('replace.ipynb');
    session.applyEdits([{ type: 'set_source', id, source: 'ab' }], 'keyboard');
    expect(((await (await patch('replace.ipynb', id, { source: 'c' })).json()) as { source: string }).source).toBe('c');
    expect((await patch('replace.ipynb', id, { base_source: 'c' })).status).toBe(400);
  });
});
