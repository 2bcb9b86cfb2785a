/**
 * `.cellmate/` is Cellmate's own: the files and notebooks APIs refuse every path in it, however it is spelled or
 * reached (another case, a link elsewhere in the workspace), and the start makes it a private folder.
 */
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../routes/app.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';
import { ensureStateFolder } from './state-folder.ts';
import { Workspace } from './storage.ts';

const token = 'state-token';
const json = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const enc = encodeURIComponent;

let root: string;
let ws: string;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-state-'));
  ws = join(root, 'ws');
  await mkdir(ws);
  await ensureStateFolder(ws);
  await writeFile(join(ws, '.cellmate', 'settings.json'), '{"agent":{"base_url":"http://127.0.0.1:1/v1"}}');
  await writeFile(join(ws, 'data.txt'), 'data');
  // What a sandboxed kernel can make: a link elsewhere in the workspace that leads into the folder.
  await symlink(join(ws, '.cellmate'), join(ws, 'innocent'));
  const workspace = new Workspace(ws);
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10, watchFiles: false });
  app = createApp({ token, sessions, workspace });
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

const request = (path: string, init: RequestInit = {}) => app.request(path, { ...init, headers: { ...json, ...init.headers } });

describe('.cellmate/ through the API', () => {
  const spellings = ['.cellmate/settings.json', '.Cellmate/settings.json', './.cellmate//settings.json', 'innocent/settings.json'];

  it.each(spellings)('refuses reading and writing %s with 403, and says why', async (path) => {
    const urlPath = path.split('/').map(enc).join('/');
    for (const [method, body] of [['GET', undefined], ['PUT', '{"agent":{"base_url":"http://evil.test/v1"}}'], ['DELETE', undefined]] as const) {
      const response = await request(`/api/files/${urlPath}`, { method, ...(body ? { body } : {}) });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect((await response.json()).error).toMatch(/Cellmate's own folder/);
    }
  });

  it('refuses a notebook, a folder, a rename and a listing inside it', async () => {
    expect((await request(`/api/notebooks/${enc('.cellmate/x.ipynb')}`, { method: 'PUT', body: '{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}' })).status).toBe(403);
    expect((await request('/api/notebooks', { method: 'POST', body: JSON.stringify({ path: '.cellmate/y.ipynb' }) })).status).toBe(403);
    expect((await request('/api/files/.cellmate/sub?kind=directory', { method: 'POST' })).status).toBe(403);
    expect((await request('/api/files/rename', { method: 'POST', body: JSON.stringify({ from: 'data.txt', to: '.cellmate/settings.json' }) })).status).toBe(403);
    expect((await request('/api/files/rename', { method: 'POST', body: JSON.stringify({ from: '.cellmate', to: 'stolen' }) })).status).toBe(403);
    expect((await request(`/api/files?path=${enc('.cellmate')}`)).status).toBe(403);
  });

  it('left the folder as it was', async () => {
    expect((await readdir(join(ws, '.cellmate'))).sort()).toEqual(['settings.json']);
    expect((await readdir(ws)).sort()).toEqual(['.cellmate', 'data.txt', 'innocent']);
  });
});

describe('ensureStateFolder', () => {
  it('makes a private folder, and refuses a link or a file in its place', async () => {
    const fresh = join(root, 'fresh');
    await mkdir(fresh);
    await ensureStateFolder(fresh);
    expect((await stat(join(fresh, '.cellmate'))).mode & 0o777).toBe(0o700);

    const linked = join(root, 'linked');
    await mkdir(linked);
    await symlink(root, join(linked, '.cellmate'));
    await expect(ensureStateFolder(linked)).rejects.toThrow(/must be a folder .* not a link/);

    const filed = join(root, 'filed');
    await mkdir(filed);
    await writeFile(join(filed, '.cellmate'), '');
    await expect(ensureStateFolder(filed)).rejects.toThrow(/not a file/);
  });
});
