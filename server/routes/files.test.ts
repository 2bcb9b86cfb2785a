/**
 * `/api/files` through `app.request()`: listing, download headers, streamed uploads and their limit, folders,
 * rename and delete, every path attack refused with nothing read or written, and open notebooks following
 * renames and deletes.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../protocol/index.ts';
import { ClientId } from '../protocol/index.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { Workspace } from '../store/storage.ts';
import { createApp } from './app.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

const token = 'files-token';
const auth = { authorization: `Bearer ${token}` };
const MAX = 1024;

let root: string;
let ws: string;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;
const enc = encodeURIComponent;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-files-'));
  ws = join(root, 'ws');
  await mkdir(ws);
  await mkdir(join(root, 'ws-other'));
  await writeFile(join(root, 'ws-other', 'secret.txt'), 'SECRET');
  await writeFile(join(root, 'outside.txt'), 'OUTSIDE');
  await symlink(join(root, 'ws-other'), join(ws, 'link-out'));
  await symlink(join(root, 'outside.txt'), join(ws, 'file-link-out.txt'));
  const workspace = new Workspace(ws);
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10, watchFiles: false });
  app = createApp({ token, sessions, workspace, maxUploadBytes: MAX });
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

const put = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  app.request(`/api/files/${path}`, { method: 'PUT', headers: { ...auth, ...headers }, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) });
const list = async (path = '') => (await app.request(`/api/files?path=${enc(path)}`, { headers: auth })).json();

/** A body without Content-Length, as a browser's streamed upload or `curl -T -` sends it. */
function streamed(bytes: number, chunk = 256): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const size = Math.min(chunk, bytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(120));
    },
  });
}

/** Every name under `dir`, hidden ones included (temp files would show here). */
async function tree(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  return names.sort();
}

describe('upload, list, download', () => {
  it('uploads into a new folder, lists it with kinds, downloads by both path forms', async () => {
    const created = await put('data/sales.csv', 'month,revenue\n1,10\n');
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ path: 'data/sales.csv', size: 19 });
    expect((await put(enc('data/sales.csv'), 'month,revenue\n1,11\n')).status).toBe(200);
    await writeFile(join(ws, 'data', 'nb.ipynb'), '{}');
    await writeFile(join(ws, 'data', '.hidden'), 'x');
    await mkdir(join(ws, 'data', 'sub'));

    const listed = await list('data');
    expect(listed.map((e: { path: string; kind: string }) => [e.path, e.kind])).toEqual([
      ['data/nb.ipynb', 'notebook'],
      ['data/sales.csv', 'file'],
      ['data/sub', 'directory'],
    ]);
    expect(listed[1]).toMatchObject({ name: 'sales.csv', size: 19, last_modified: expect.stringMatching(/^\d{4}-/) });
    expect((await list()).map((e: { path: string }) => e.path)).toContain('data');

    for (const path of ['data/sales.csv', enc('data/sales.csv')]) {
      const res = await app.request(`/api/files/${path}`, { headers: auth });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('month,revenue\n1,11\n');
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="sales.csv"; filename*=UTF-8''sales.csv`);
    }
  });

  it('serves a user HTML or SVG file only as an inert download', async () => {
    await put('page.html', '<script>document.title="ran"</script>');
    await put('pic.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const [name, type] of [['page.html', /^text\/html/], ['pic.svg', /^image\/svg\+xml/]] as const) {
      const res = await app.request(`/api/files/${name}`, { headers: auth });
      expect(res.headers.get('content-type')).toMatch(type);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
      await res.body?.cancel(); // closes the file handle, as a client hanging up does
    }
  });

  it('streams a large download in chunks, byte for byte', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'abcdefgh');
    await writeFile(join(ws, 'big.bin'), big);
    const res = await app.request('/api/files/big.bin', { headers: auth });
    expect(res.headers.get('content-length')).toBe(String(big.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(big)).toBe(true);
  });

  it('answers 404 for a missing file and 400 for a folder or a listing of a file', async () => {
    expect((await app.request('/api/files/nope.csv', { headers: auth })).status).toBe(404);
    expect((await app.request('/api/files/data', { headers: auth })).status).toBe(400);
    expect((await app.request(`/api/files?path=${enc('data/sales.csv')}`, { headers: auth })).status).toBe(400);
    expect((await app.request(`/api/files?path=missing`, { headers: auth })).status).toBe(404);
  });
});

describe('the upload limit', () => {
  it('refuses a declared oversize body with 413 before making anything', async () => {
    const before = await tree(ws);
    const res = await put('fresh/dir/too-big.bin', 'x'.repeat(MAX + 1), { 'content-length': String(MAX + 1) });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/CELLMATE_MAX_UPLOAD_BYTES/);
    expect(await tree(ws)).toEqual(before);
  });

  it('stops a streamed body at the limit: 413, no temp file, no new folders, the old file intact', async () => {
    await put('keep.txt', 'old content');
    const before = await tree(ws);
    expect((await put('new/deep/big.bin', streamed(MAX * 4))).status).toBe(413);
    expect((await put('keep.txt', streamed(MAX + 1))).status).toBe(413);
    expect(await tree(ws)).toEqual(before);
    expect(await readFile(join(ws, 'keep.txt'), 'utf8')).toBe('old content');
    expect((await put('exact.bin', streamed(MAX))).status).toBe(201);
  });
});

describe('folders, rename, delete', () => {
  it('makes folders (also one called "rename"), refusing an existing one', async () => {
    expect((await app.request('/api/files/a/b?kind=directory', { method: 'POST', headers: auth })).status).toBe(201);
    expect((await lstat(join(ws, 'a', 'b'))).isDirectory()).toBe(true);
    expect((await app.request('/api/files/a/b?kind=directory', { method: 'POST', headers: auth })).status).toBe(409);
    expect((await app.request('/api/files/rename?kind=directory', { method: 'POST', headers: auth })).status).toBe(201);
    expect((await app.request('/api/files/x', { method: 'POST', headers: auth })).status).toBe(400);
  });

  const rename = (from: string, to: string) =>
    app.request('/api/files/rename', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ from, to }) });

  it('renames and moves, refusing an existing target, a missing source, the root and a folder into itself', async () => {
    await put('r/one.txt', '1');
    await put('r/two.txt', '2');
    const moved = await rename('r/one.txt', 'r2/uno.txt');
    expect(moved.status).toBe(200);
    expect(await moved.json()).toEqual({ from: 'r/one.txt', to: 'r2/uno.txt', kind: 'file' });
    expect(await readFile(join(ws, 'r2', 'uno.txt'), 'utf8')).toBe('1');

    const onto = await rename('r2/uno.txt', 'r/two.txt');
    expect(onto.status).toBe(409);
    expect((await onto.json()).error).toMatch(/already exists/);
    expect(await readFile(join(ws, 'r', 'two.txt'), 'utf8')).toBe('2');
    expect(await readFile(join(ws, 'r2', 'uno.txt'), 'utf8')).toBe('1');

    expect((await rename('r/missing.txt', 'r/x.txt')).status).toBe(404);
    expect((await rename('r', 'r/inner')).status).toBe(400);
    expect((await rename('.', 'elsewhere')).status).toBe(400);
    expect((await rename('r', 'r2')).status).toBe(409);
    expect((await rename('r', 'moved/r')).status).toBe(200);
    expect(await readFile(join(ws, 'moved', 'r', 'two.txt'), 'utf8')).toBe('2');
  });

  it('deletes files, full folders and links (not their targets), never the root', async () => {
    await put('del/x/y.txt', 'y');
    expect((await app.request('/api/files/del', { method: 'DELETE', headers: auth })).status).toBe(204);
    await expect(lstat(join(ws, 'del'))).rejects.toThrow();
    expect((await app.request('/api/files/del', { method: 'DELETE', headers: auth })).status).toBe(404);
    // `/api/files/.` is normalised away by URL parsing (404: no such route); an encoded `./` reaches the check.
    expect((await app.request(`/api/files/${enc('./')}`, { method: 'DELETE', headers: auth })).status).toBe(400);
    expect((await app.request('/api/files/.', { method: 'DELETE', headers: auth })).status).toBe(404);
    expect((await lstat(ws)).isDirectory()).toBe(true);
    await symlink(join(ws, 'keep.txt'), join(ws, 'inner-link.txt'));
    expect((await app.request('/api/files/inner-link.txt', { method: 'DELETE', headers: auth })).status).toBe(204);
    expect(await readFile(join(ws, 'keep.txt'), 'utf8')).toBe('old content');
  });
});

describe('paths outside the workspace', () => {
  const attacks = [
    '../outside.txt',
    enc('../outside.txt'),
    '..%2Foutside.txt',
    '%252e%252e%252Foutside.txt',
    enc('/etc/passwd'),
    'x%00.txt',
    enc('../ws-other/secret.txt'),
    'link-out/secret.txt',
    'file-link-out.txt',
  ];

  it.each(attacks)('refuses %j on every method with nothing read or written', async (attack) => {
    const outsideBefore = await tree(root).then((names) => names.filter((n) => !n.startsWith('ws/') && n !== 'ws'));
    const wsBefore = await tree(ws);
    const responses = [
      await app.request(`/api/files/${attack}`, { headers: auth }),
      await put(attack, 'PWNED'),
      await app.request(`/api/files/${attack}?kind=directory`, { method: 'POST', headers: auth }),
      await app.request(`/api/files/${attack}`, { method: 'DELETE', headers: auth }),
    ];
    for (const res of responses) {
      expect([400, 404]).toContain(res.status);
      const text = await res.text();
      expect(text).not.toMatch(/SECRET|OUTSIDE|root:/);
    }
    expect(await tree(root).then((names) => names.filter((n) => !n.startsWith('ws/') && n !== 'ws'))).toEqual(outsideBefore);
    expect(await tree(ws)).toEqual(wsBefore);
    expect(await readFile(join(root, 'outside.txt'), 'utf8')).toBe('OUTSIDE');
    expect(await readFile(join(root, 'ws-other', 'secret.txt'), 'utf8')).toBe('SECRET');
  });

  it('refuses listings and renames that lead outside', async () => {
    for (const path of ['..', '../ws-other', 'link-out', '/etc', 'a\0b']) {
      const res = await app.request(`/api/files?path=${enc(path)}`, { headers: auth });
      expect(res.status).toBe(400);
      expect(await res.text()).not.toMatch(/secret/);
    }
    const rename = (from: string, to: string) =>
      app.request('/api/files/rename', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ from, to }) });
    expect((await rename('keep.txt', '../ws-other/stolen.txt')).status).toBe(400);
    expect((await rename('../outside.txt', 'in.txt')).status).toBe(400);
    expect((await rename('link-out/secret.txt', 'in.txt')).status).toBe(400);
    expect((await rename('keep.txt', 'link-out/stolen.txt')).status).toBe(400);
    expect(await readdir(join(root, 'ws-other'))).toEqual(['secret.txt']);
    expect(await readFile(join(ws, 'keep.txt'), 'utf8')).toBe('old content');
  });

  it('does not list links leading outside', async () => {
    const names = (await list()).map((e: { name: string }) => e.name);
    expect(names).not.toContain('link-out');
    expect(names).not.toContain('file-link-out.txt');
  });
});

describe('open notebooks follow renames and deletes', () => {
  const nb = (source: string) =>
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 'c1', cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null }] });

  async function openWithTab(path: string) {
    const session = await sessions.open(path);
    const received: ServerMessage[] = [];
    const closed: number[] = [];
    session.connect({ clientId: ClientId.create(), send: (m) => received.push(m), close: (code) => closed.push(code) });
    return { session, received, closed };
  }

  it('a rename saves pending changes, closes the session and tells its tabs the new path', async () => {
    await put('nbs/a.ipynb', nb('1'));
    const { session, received, closed } = await openWithTab('nbs/a.ipynb');
    session.applyEdits([{ type: 'set_source', id: session.doc().cells[0]!.id, source: 'typed before the rename' }], 'api');
    const res = await app.request('/api/files/rename', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'nbs', to: 'nbs2' }),
    });
    expect(res.status).toBe(200);
    expect(received.at(-1)).toEqual({ type: 'closed', reason: 'moved', path: 'nbs2/a.ipynb' });
    expect(closed).toEqual([4404]);
    expect(await sessions.get('nbs/a.ipynb')).toBeUndefined();
    const moved = JSON.parse(await readFile(join(ws, 'nbs2', 'a.ipynb'), 'utf8'));
    expect([moved.cells[0].source].flat().join('')).toBe('typed before the rename');
    // Nothing writes the old name back, even after the autosave delay.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(lstat(join(ws, 'nbs'))).rejects.toThrow();
    expect((await sessions.open('nbs2/a.ipynb')).doc().cells[0]?.source).toBe('typed before the rename');
  });

  it('a refused delete of the top folder closes no notebook', async () => {
    await put('stays.ipynb', nb('1'));
    const { received } = await openWithTab('stays.ipynb');
    expect((await app.request(`/api/files/${enc('./')}`, { method: 'DELETE', headers: auth })).status).toBe(400);
    expect(received.filter((m) => m.type === 'closed')).toEqual([]);
    expect(await sessions.get('stays.ipynb')).toBeDefined();
  });

  it('a delete closes the session and its pending changes never write the file back', async () => {
    await put('gone.ipynb', nb('1'));
    const { session, received } = await openWithTab('gone.ipynb');
    session.applyEdits([{ type: 'set_source', id: session.doc().cells[0]!.id, source: 'late' }], 'api');
    expect((await app.request('/api/files/gone.ipynb', { method: 'DELETE', headers: auth })).status).toBe(204);
    expect(received.at(-1)).toEqual({ type: 'closed', reason: 'deleted' });
    session.applyEdits([{ type: 'set_source', id: session.doc().cells[0]!.id, source: 'later still' }], 'api');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(lstat(join(ws, 'gone.ipynb'))).rejects.toThrow();
  });
});
