import { mkdtemp, readFile, rm, writeFile, mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from '../sessions/session-manager.ts';
import { Workspace } from '../store/storage.ts';
import { createApp } from './app.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

const token = 'test-token';
const auth = { authorization: `Bearer ${token}` };
const json = { ...auth, 'content-type': 'application/json' };

let root: string;
let workspaceDir: string;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;
const enc = encodeURIComponent;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-routes-'));
  workspaceDir = join(root, 'ws');
  await mkdir(workspaceDir);
  await mkdir(join(root, 'ws-other'));
  await writeFile(join(root, 'ws-other', 'secret.ipynb'), '{}');
  await writeFile(join(root, 'outside.ipynb'), '{}');
  const workspace = new Workspace(workspaceDir);
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10 });
  app = createApp({ token, sessions, workspace });
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('auth', () => {
  it('lets health through without a token', async () => {
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('refuses a missing or wrong token with 401 and a JSON error', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }] as Record<string, string>[]) {
      const res = await app.request('/api/notebooks', { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/token/) });
    }
  });

  it('accepts the token as a query parameter', async () => {
    expect((await app.request(`/api/notebooks?token=${token}`)).status).toBe(200);
  });
});

describe('notebooks', () => {
  it('creates notebooks with free names, as JupyterLab does', async () => {
    const first = await app.request('/api/notebooks', { method: 'POST', headers: json, body: '{}' });
    expect(first.status).toBe(201);
    const second = await app.request('/api/notebooks', { method: 'POST', headers: json, body: '{}' });
    const [a, b] = [(await first.json()).path, (await second.json()).path];
    expect(a).toMatch(/^Untitled.*\.ipynb$/);
    expect(b).not.toBe(a);
    const list = await (await app.request('/api/notebooks', { headers: auth })).json();
    expect(list.map((n: { path: string }) => n.path)).toEqual(expect.arrayContaining([a, b]));
  });

  it('creates a notebook at a path in a new folder, and refuses an existing one with 409', async () => {
    const body = JSON.stringify({ path: 'deep/er/nb.ipynb' });
    expect((await app.request('/api/notebooks', { method: 'POST', headers: json, body })).status).toBe(201);
    const again = await app.request('/api/notebooks', { method: 'POST', headers: json, body });
    expect(again.status).toBe(409);
    const got = await app.request(`/api/notebooks/${enc('deep/er/nb.ipynb')}`, { headers: auth });
    expect(got.status).toBe(200);
    const nb = await got.json();
    expect(nb).toMatchObject({ nbformat: 4, nbformat_minor: 5 });
    expect(nb.cells).toHaveLength(1);
    expect(nb.cells[0]).toMatchObject({ cell_type: 'code', outputs: [], execution_count: null });
  });

  it('adds, patches and deletes cells, and saves them to disk', async () => {
    const path = enc('cells.ipynb');
    await app.request('/api/notebooks', { method: 'POST', headers: json, body: JSON.stringify({ path: 'cells.ipynb' }) });
    const added = await app.request(`/api/notebooks/${path}/cells`, { method: 'POST', headers: json, body: JSON.stringify({ source: 'x = 1' }) });
    expect(added.status).toBe(201);
    const { id } = await added.json();
    const md = await app.request(`/api/notebooks/${path}/cells`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ source: '# Title', cell_type: 'markdown', index: 0 }),
    });
    const mdId = (await md.json()).id;
    const patched = await app.request(`/api/notebooks/${path}/cells/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ source: 'x = 2' }) });
    expect(patched.status).toBe(200);
    expect((await app.request(`/api/notebooks/${path}/cells/${mdId}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    await (await sessions.get('cells.ipynb'))!.flush();
    const onDisk = JSON.parse(await readFile(join(workspaceDir, 'cells.ipynb'), 'utf8'));
    expect(onDisk.cells.map((c: { source: string | string[] }) => [c.source].flat().join(''))).toEqual(['', 'x = 2']);
    expect(onDisk.cells[1].id).toBe(id);
  });

  it('answers 404 for an unknown cell and 400 for a bad body, changing nothing', async () => {
    const path = enc('cells.ipynb');
    const before = await (await app.request(`/api/notebooks/${path}`, { headers: auth })).text();
    const unknown = await app.request(`/api/notebooks/${path}/cells/nope`, { method: 'PATCH', headers: json, body: JSON.stringify({ source: 'y' }) });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatch(/nope/);
    const badJson = await app.request(`/api/notebooks/${path}/cells`, { method: 'POST', headers: json, body: '{"source": ' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ error: expect.any(String) });
    const badType = await app.request(`/api/notebooks/${path}/cells`, { method: 'POST', headers: json, body: JSON.stringify({ source: 1 }) });
    expect(badType.status).toBe(400);
    expect((await badType.json()).error).toMatch(/source/);
    expect(await (await app.request(`/api/notebooks/${path}`, { headers: auth })).text()).toBe(before);
  });

  it('replaces a notebook with PUT, and refuses an invalid one with the reason', async () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { custom: { kept: true } },
      cells: [{ id: 'c1', cell_type: 'markdown', metadata: {}, source: ['# Hi\n', 'there'] }],
    };
    const put = await app.request(`/api/notebooks/${enc('put.ipynb')}`, { method: 'PUT', headers: json, body: JSON.stringify(nb) });
    expect(put.status).toBe(201);
    const got = await (await app.request(`/api/notebooks/${enc('put.ipynb')}`, { headers: auth })).json();
    expect(got.metadata.custom).toEqual({ kept: true });
    expect([got.cells[0].source].flat().join('')).toBe('# Hi\nthere');
    const bad = await app.request(`/api/notebooks/${enc('put.ipynb')}`, { method: 'PUT', headers: json, body: JSON.stringify({ cells: 3 }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.length).toBeGreaterThan(5);
    const still = await (await app.request(`/api/notebooks/${enc('put.ipynb')}`, { headers: auth })).json();
    expect(still.metadata.custom).toEqual({ kept: true });
  });

  it('exports as an attachment', async () => {
    const res = await app.request(`/api/notebooks/${enc('put.ipynb')}/export?format=ipynb`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="put.ipynb"/);
    expect(JSON.parse(await res.text()).nbformat).toBe(4);
    expect((await app.request(`/api/notebooks/${enc('put.ipynb')}/export?format=docx`, { headers: auth })).status).toBe(400);
    const py = await app.request(`/api/notebooks/${enc('put.ipynb')}/export?format=py`, { headers: auth });
    expect(py.headers.get('content-disposition')).toMatch(/^attachment; filename="put.py"/);
    expect(await py.text()).toContain('# %% [markdown]\n# # Hi\n# there');
    const html = await app.request(`/api/notebooks/${enc('put.ipynb')}/export?format=html`, { headers: auth });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-disposition')).toMatch(/^attachment; filename="put.html"/);
    expect(html.headers.get('content-security-policy')).toMatch(/^sandbox/);
    expect(await html.text()).toContain('<h1>Hi</h1>');
  });

  it('deletes a notebook', async () => {
    expect((await app.request(`/api/notebooks/${enc('put.ipynb')}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await app.request(`/api/notebooks/${enc('put.ipynb')}`, { headers: auth })).status).toBe(404);
  });
});

describe('paths outside the workspace', () => {
  const attacks = ['../outside.ipynb', '/etc/passwd.ipynb', '../ws-other/secret.ipynb', 'a/../../outside.ipynb', 'x\0.ipynb'];
  it.each(attacks)('refuses %j with 400/404 and touches nothing', async (attack) => {
    const before = await readdir(root);
    for (const [method, body] of [['GET'], ['PUT', JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] })], ['DELETE']] as const) {
      const res = await app.request(`/api/notebooks/${enc(attack)}`, { method, headers: json, ...(body ? { body } : {}) });
      expect([400, 404]).toContain(res.status);
      expect(await res.json()).toEqual({ error: expect.any(String) });
    }
    const created = await app.request('/api/notebooks', { method: 'POST', headers: json, body: JSON.stringify({ path: attack }) });
    expect([400, 404]).toContain(created.status);
    expect(await readdir(root)).toEqual(before);
    expect(await readFile(join(root, 'outside.ipynb'), 'utf8')).toBe('{}');
    expect(await readFile(join(root, 'ws-other', 'secret.ipynb'), 'utf8')).toBe('{}');
  });

  it('refuses the double-encoded form too', async () => {
    const res = await app.request(`/api/notebooks/${enc(enc('../outside.ipynb'))}`, { headers: auth });
    expect([400, 404]).toContain(res.status);
  });
});
