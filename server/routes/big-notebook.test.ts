/**
 * A 2,000-cell notebook with 20 MB of outputs does not take the server away: while it loads, while it is parsed
 * from a PUT body, and while a save of it runs, other requests are answered (their answers arrive before the
 * work ends), and edits keep flowing. Order and completion are asserted, never wall-clock time (that is
 * `npm run bench`'s job).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientId } from '../protocol/index.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { parseNotebook, serializeNotebook } from '../store/serializer.ts';
import { Workspace } from '../store/storage.ts';
import { bigNotebook } from '../../tests/fixtures/big-notebook.ts';
import { createApp } from './app.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

/** While set, the serialisers note in it when they start and end (whichever one a save uses). */
const trace = vi.hoisted((): { events: string[] | null } => ({ events: null }));

vi.mock('../store/serializer.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/serializer.ts')>();
  const note = (event: string) => trace.events?.push(event);
  return {
    ...actual,
    serializeNotebook: (...args: Parameters<typeof actual.serializeNotebook>) => {
      note('serialising');
      const text = actual.serializeNotebook(...args);
      note('serialised');
      return text;
    },
    serializeNotebookYielding: async (...args: Parameters<typeof actual.serializeNotebookYielding>) => {
      note('serialising');
      const text = await actual.serializeNotebookYielding(...args);
      note('serialised');
      return text;
    },
  };
});

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

/** `PUT /api/notebooks/{path}` with a streamed body. */
const put = (path: string, body: ReadableStream<Uint8Array>) =>
  app.request(`/api/notebooks/${encodeURIComponent(path)}`, {
    method: 'PUT',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body,
    ...{ duplex: 'half' },
  });

/** `bytes` as a request body in chunks, noting in `events` when the last one was taken. */
function bodyOf(bytes: Uint8Array, events: string[]): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) {
        events.push('body read');
        return controller.close();
      }
      controller.enqueue(bytes.subarray(at, (at += 2 ** 20)));
    },
  });
}

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Runs `task` while asking for /api/health over and over; returns the order in which things finished. */
async function whileAnswering(task: () => Promise<unknown>, events: string[] = []): Promise<string[]> {
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

    const saving: string[] = [];
    trace.events = saving;
    await whileAnswering(() => session.flush(), saving).finally(() => (trace.events = null));
    // Requests were answered while the notebook was being serialised, not only before or after it (a save
    // that printed 20 MB in one go would let none in between).
    const serialising = saving.slice(saving.indexOf('serialising'), saving.indexOf('serialised'));
    expect(saving.filter((event) => event === 'serialising')).toHaveLength(1);
    expect(serialising.filter((event) => event === 'health 200').length).toBeGreaterThan(0);
    expect(sent).toContain('saved');
    const onDisk = JSON.parse(await readFile(join(root, 'big.ipynb'), 'utf8'));
    expect(onDisk.cells).toHaveLength(2000);
    expect([onDisk.cells[1].source].flat().join('')).toBe('x = 0');
  });
});

describe('a 20 MB notebook sent whole (PUT /api/notebooks/{path})', () => {
  // Answers to /api/health between the moment the body was read and the answer to the PUT: the parse's time.
  const answeredWhileParsing = (events: string[]) =>
    events.slice(events.indexOf('body read'), events.indexOf('done')).filter((event) => event === 'health 200').length;

  it('is read whole, cell for cell, through the parser thread', async () => {
    const text = serializeNotebook(bigNotebook({ seed: 2 }));
    const res = await put('put-big.ipynb', bodyOf(new TextEncoder().encode(text), []));
    expect(res.status).toBe(201);
    expect((await sessions.get('put-big.ipynb'))!.doc()).toEqual(parseNotebook(text).doc);
  });

  // Refused only once all of it was parsed: between the body's last byte and the answer there is only the parse.
  it('is refused for what its last cell holds, and the server answers others while it parses', async () => {
    const nb = JSON.parse(serializeNotebook(bigNotebook({ seed: 3 })));
    nb.cells.push({ id: 'last', cell_type: 'nonsense', metadata: {}, source: '' });
    const events: string[] = [];
    let answer: unknown;
    await whileAnswering(async () => {
      const res = await put('put-bad.ipynb', bodyOf(new TextEncoder().encode(JSON.stringify(nb)), events));
      answer = { status: res.status, body: await res.json() };
    }, events);
    expect(answer).toEqual({ status: 400, body: { error: 'Invalid nbformat 4 notebook: cell 2001: unknown cell_type "nonsense"' } });
    expect(answeredWhileParsing(events)).toBeGreaterThan(2);
  });

  it('is refused with 413 when it has a million cells (CELLMATE_MAX_CELLS), the server answering meanwhile', async () => {
    const cells = Array.from({ length: 1_000_000 }, (_, n) => `{"cell_type": "raw", "id": "c${n}", "metadata": {}, "source": ""}`);
    const text = `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [${cells.join(',')}]}`;
    const events: string[] = [];
    let answer: unknown;
    await whileAnswering(async () => {
      const res = await put('million.ipynb', bodyOf(new TextEncoder().encode(text), events));
      answer = { status: res.status, body: await res.json() };
    }, events);
    expect(answer).toEqual({ status: 413, body: { error: 'The notebook has 1,000,000 cells; notebooks of up to 10,000 cells can be opened (CELLMATE_MAX_CELLS)' } });
    expect(answeredWhileParsing(events)).toBeGreaterThan(2);
  });
});
