/**
 * Input limits through `app.request()`: every body has a limit and a too-large one is a 413 before it is read
 * whole (declared or chunked), a notebook has its own larger limit, JSON nested too deep is refused before it
 * is parsed, a JSON endpoint refuses a body of another type with 415 instead of reading it as `{}`, and no
 * edit grows a notebook past its cell limit.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCell, createNotebook } from '../protocol/index.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { serializeNotebook } from '../store/serializer.ts';
import { Workspace } from '../store/storage.ts';
import { createApp } from './app.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

const token = 'body-token';
const auth = { authorization: `Bearer ${token}` };
const json = { ...auth, 'content-type': 'application/json' };
const limits = { maxBodyBytes: 64 * 1024, maxNotebookBytes: 256 * 1024, maxCells: 50, maxJsonDepth: 20 };
const enc = encodeURIComponent;

let root: string;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-bodies-'));
  const workspace = new Workspace(root, { limits });
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10, watchFiles: false });
  app = createApp({ token, sessions, workspace, maxUploadBytes: 1024 * 1024 });
  await app.request('/api/notebooks', { method: 'POST', headers: json, body: JSON.stringify({ path: 'a.ipynb' }) });
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

/** A body far over every limit, counting what was taken from it: a server that reads it whole takes it all. */
function oversized(total = 16 * 2 ** 20): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const chunk = new TextEncoder().encode(`{"source": "${'x'.repeat(4096)}`);
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= total) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    // Nothing is pulled before the server reads.
    { highWaterMark: 0 },
  );
  return { body, pulled: () => pulled };
}

const send = (method: string, path: string, body: BodyInit, headers: Record<string, string> = json) =>
  app.request(path, { method, headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) });

describe('size', () => {
  it('refuses a JSON body over CELLMATE_MAX_BODY_BYTES with 413 from its Content-Length, reading none of it', async () => {
    const { body, pulled } = oversized();
    const res = await send('POST', `/api/notebooks/a.ipynb/cells`, body, { ...json, 'content-length': String(200 * 2 ** 20) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'Request bodies are limited to 64 KiB (CELLMATE_MAX_BODY_BYTES)' });
    expect(pulled()).toBe(0);
  });

  it('refuses a chunked JSON body as soon as it passes the limit, before it is read whole', async () => {
    const { body, pulled } = oversized();
    const res = await send('POST', `/api/notebooks/a.ipynb/cells`, body);
    expect(res.status).toBe(413);
    expect(pulled()).toBeLessThanOrEqual(limits.maxBodyBytes + 2 * 4200);
  });

  it('refuses a notebook over CELLMATE_MAX_NOTEBOOK_BYTES, and takes one over the JSON limit below it', async () => {
    const { body, pulled } = oversized();
    const refused = await send('PUT', `/api/notebooks/${enc('big.ipynb')}`, body);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({ error: 'Notebooks are limited to 256 KiB (CELLMATE_MAX_NOTEBOOK_BYTES)' });
    expect(pulled()).toBeLessThanOrEqual(limits.maxNotebookBytes + 2 * 4200);
    expect(await readdir(root)).not.toContain('big.ipynb');

    const doc = createNotebook();
    const text = serializeNotebook({ ...doc, cells: [{ ...doc.cells[0]!, source: 'x'.repeat(128 * 1024) }] });
    expect((await send('PUT', `/api/notebooks/${enc('big.ipynb')}`, text)).status).toBe(201);
  });

  it('leaves file uploads to their own limit (CELLMATE_MAX_UPLOAD_BYTES)', async () => {
    const res = await send('PUT', '/api/files/data.bin', new Uint8Array(512 * 1024), { ...auth, 'content-type': 'application/octet-stream' });
    expect(res.status).toBe(201);
    expect((await readFile(join(root, 'data.bin'))).byteLength).toBe(512 * 1024);
  });
});

describe('nesting', () => {
  it('refuses JSON nested deeper than CELLMATE_MAX_JSON_DEPTH with 400, megabytes of it too', async () => {
    const deep = (levels: number) => JSON.stringify({ source: 'x' }).replace('"x"', `${'['.repeat(levels)}"x"${']'.repeat(levels)}`);
    for (const levels of [25, 30_000]) {
      const res = await send('POST', '/api/notebooks/a.ipynb/cells', deep(levels));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'The request body nests JSON deeper than 20 levels (CELLMATE_MAX_JSON_DEPTH)' });
    }
    // Within the limit it reaches the schema, which says what is wrong.
    expect(await (await send('POST', '/api/notebooks/a.ipynb/cells', deep(5))).json()).toEqual({ error: expect.stringMatching(/^Invalid request body: source/) });
  });

  it('refuses a notebook nested too deeply or with too many cells, naming the setting', async () => {
    const doc = createNotebook();
    const deep = serializeNotebook({ ...doc, metadata: { x: JSON.parse(`${'['.repeat(25)}${']'.repeat(25)}`) } });
    const tooDeep = await send('PUT', `/api/notebooks/${enc('deep.ipynb')}`, deep);
    expect(tooDeep.status).toBe(400);
    expect(await tooDeep.json()).toEqual({ error: 'The notebook nests JSON deeper than 20 levels (CELLMATE_MAX_JSON_DEPTH)' });

    const cells = Array.from({ length: 51 }, () => createCell('code', ''));
    const many = await send('PUT', `/api/notebooks/${enc('many.ipynb')}`, serializeNotebook({ ...doc, cells }));
    expect(many.status).toBe(413);
    expect(await many.json()).toEqual({ error: 'The notebook has 51 cells; notebooks of up to 50 cells can be opened (CELLMATE_MAX_CELLS)' });
    expect(await readdir(root)).not.toContain('many.ipynb');
  });
});

describe('content type', () => {
  it('refuses a JSON endpoint a body of another type with 415, and makes nothing', async () => {
    const before = await readdir(root);
    for (const headers of [auth, { ...auth, 'content-type': 'text/plain' }, { ...auth, 'content-type': 'application/x-www-form-urlencoded' }]) {
      const res = await send('POST', '/api/notebooks', JSON.stringify({ path: 'typed.ipynb' }), headers);
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/^Send JSON with Content-Type: application\/json/) });
    }
    expect(await readdir(root)).toEqual(before);
  });

  it('takes JSON under any spelling of its type, and an empty body with none', async () => {
    const typed = await send('POST', '/api/notebooks', JSON.stringify({ path: 'typed.ipynb' }), { ...auth, 'content-type': 'Application/JSON; charset=utf-8' });
    expect(await typed.json()).toEqual({ path: 'typed.ipynb' });
    const untitled = await app.request('/api/notebooks', { method: 'POST', headers: auth });
    expect(await untitled.json()).toEqual({ path: 'Untitled.ipynb' });
  });

  it('wants JSON for a notebook put whole and a rename; a file upload takes any type', async () => {
    const text = serializeNotebook(createNotebook());
    expect((await send('PUT', `/api/notebooks/${enc('plain.ipynb')}`, text, { ...auth, 'content-type': 'text/plain' })).status).toBe(415);
    expect((await send('PUT', `/api/notebooks/${enc('plain.ipynb')}`, text, auth)).status).toBe(415);
    expect((await send('POST', '/api/files/rename', JSON.stringify({ from: 'data.bin', to: 'moved.bin' }), { ...auth, 'content-type': 'text/plain' })).status).toBe(415);
    expect((await send('PUT', '/api/files/notes.txt', 'hello', { ...auth, 'content-type': 'text/plain' })).status).toBe(201);
    expect(await readdir(root)).not.toContain('plain.ipynb');
  });
});

describe('cells', () => {
  it('refuses an edit that grows a notebook past CELLMATE_MAX_CELLS, and takes it again below', async () => {
    const doc = createNotebook();
    const cells = Array.from({ length: 50 }, () => createCell('code', ''));
    expect((await send('PUT', `/api/notebooks/${enc('full.ipynb')}`, serializeNotebook({ ...doc, cells }))).status).toBe(201);
    const add = () => send('POST', `/api/notebooks/${enc('full.ipynb')}/cells`, JSON.stringify({ source: 'one more' }));
    const refused = await add();
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'A notebook may have at most 50 cells (CELLMATE_MAX_CELLS)' });
    expect((await app.request(`/api/notebooks/${enc('full.ipynb')}/cells/${cells[0]!.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await add()).status).toBe(201);
    expect((await sessions.get('full.ipynb'))!.doc().cells).toHaveLength(50);
  });
});
