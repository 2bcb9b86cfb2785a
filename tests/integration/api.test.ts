/**
 * The public HTTP API and the notebook WebSocket against a real Jupyter Server and kernel.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../server/protocol/index.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';

let cm: TestCellmate;
const enc = encodeURIComponent;

beforeAll(async () => {
  cm = await startTestCellmate();
});
afterAll(async () => {
  await cm?.cleanup();
});

async function addCell(path: string, source: string): Promise<string> {
  const res = await cm.api(`/api/notebooks/${enc(path)}/cells`, { method: 'POST', body: JSON.stringify({ source }) });
  expect(res.status).toBe(201);
  return (await res.json()).id;
}

/** A WebSocket client that records every message. */
async function openTab(path: string, headers: Record<string, string> = {}) {
  const url = `${cm.url.replace('http', 'ws')}/api/notebooks/${enc(path)}/ws?token=${cm.token}`;
  const ws = new WebSocket(url, { headers });
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, messages, send: (message: unknown) => ws.send(JSON.stringify(message)) };
}

describe('execution over REST', () => {
  it('runs cells in order and reports outputs; an error aborts what follows', async () => {
    await cm.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path: 'sub/run.ipynb' }) });
    const ids = [
      await addCell('sub/run.ipynb', '1+1'),
      await addCell('sub/run.ipynb', 'import os\nprint("hello", os.getcwd().endswith("sub"))'),
      await addCell('sub/run.ipynb', '1/0'),
      await addCell('sub/run.ipynb', 'print("never")'),
    ];
    const res = await cm.api(`/api/notebooks/${enc('sub/run.ipynb')}/execute`, { method: 'POST', body: JSON.stringify({ cell_ids: ids }) });
    expect(res.status).toBe(200);
    const { cells } = await res.json();
    expect(cells.map((c: { status: string }) => c.status)).toEqual(['ok', 'ok', 'error', 'aborted']);
    expect(cells[0].outputs[0]).toMatchObject({ output_type: 'execute_result', data: { 'text/plain': '2' } });
    expect(cells[0].execution_count).toBeGreaterThan(0);
    expect(cells[1].outputs[0]).toMatchObject({ output_type: 'stream', name: 'stdout', text: 'hello True\n' });
    expect(cells[2].outputs[0]).toMatchObject({ output_type: 'error', ename: 'ZeroDivisionError' });
    expect(cells[3].outputs).toEqual([]);
  });

  it('runs all, and the saved file passes nbformat.validate', async () => {
    const res = await cm.api(`/api/notebooks/${enc('sub/run.ipynb')}/execute`, { method: 'POST', body: JSON.stringify({ all: true }) });
    expect(res.status).toBe(200);
    const session = await cm.sessions.get('sub/run.ipynb');
    await session!.flush();
    const file = join(cm.workspace, 'sub', 'run.ipynb');
    const out = execFileSync('/usr/bin/python3', ['-c', 'import nbformat,sys; nb=nbformat.read(sys.argv[1], 4); nbformat.validate(nb); print(len(nb.cells), nb.nbformat_minor)', file]);
    expect(String(out).trim()).toBe('5 5');
  });

  it('refuses unknown cell ids with 404 before running anything', async () => {
    const res = await cm.api(`/api/notebooks/${enc('sub/run.ipynb')}/execute`, { method: 'POST', body: JSON.stringify({ cell_ids: ['nope'] }) });
    expect(res.status).toBe(404);
  });
});

describe('the notebook WebSocket', () => {
  it('refuses an upgrade without the token (401) or from another origin (403)', async () => {
    const url = `${cm.url.replace('http', 'ws')}/api/notebooks/${enc('sub/run.ipynb')}/ws`;
    const status = (ws: WebSocket) =>
      new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
      });
    expect(await status(new WebSocket(url))).toBe(401);
    expect(await status(new WebSocket(`${url}?token=${cm.token}`, { headers: { origin: 'http://evil.example' } }))).toBe(403);
  });

  it('shows two tabs each other\'s edits and outputs live', async () => {
    await cm.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path: 'shared.ipynb' }) });
    const a = await openTab('shared.ipynb');
    const b = await openTab('shared.ipynb');
    const snapshot = await waitFor('snapshot', () => a.messages.find((m) => m.type === 'snapshot'));
    if (snapshot.type !== 'snapshot') throw new Error('unreachable');
    const cellId = snapshot.doc.cells[0]!.id;

    a.send({ type: 'edit', seq: 1, edit: { type: 'set_source', id: cellId, source: 'print("from a")' }, source: 'keyboard' });
    const seen = await waitFor('edit in tab b', () => b.messages.find((m) => m.type === 'edit' && m.edit.type === 'set_source'));
    expect(seen).toMatchObject({ edit: { source: 'print("from a")' }, origin: { seq: 1 } });

    b.send({ type: 'execute', cell_ids: [cellId] });
    const output = await waitFor('output in tab a', () =>
      a.messages.find((m) => m.type === 'edit' && m.edit.type === 'set_outputs' && JSON.stringify(m.edit.outputs).includes('from a')),
    );
    expect(output).toBeTruthy();
    await waitFor('runtime ok in tab a', () => a.messages.find((m) => m.type === 'runtime' && m.runtime.status === 'ok'));
    expect(a.messages.some((m) => m.type === 'kernel' && m.kernel.state === 'busy')).toBe(true);

    b.send({ type: 'edit', seq: 1, edit: { type: 'delete_cell', id: 'missing' } });
    const error = await waitFor('error for bad edit', () => b.messages.find((m) => m.type === 'error'));
    expect(error).toMatchObject({ origin: { seq: 1 } });
    b.send('not json');
    await waitFor('error for bad frame', () => b.messages.filter((m) => m.type === 'error').length >= 2);
    a.ws.close();
    b.ws.close();
  });
});
