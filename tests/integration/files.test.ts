/**
 * The workspace's files with a real Jupyter Server and kernel: an uploaded CSV is read by a notebook in the
 * same folder, the chart it writes downloads; changes made to an open notebook's file by another program reach
 * the open tabs (a reload) or become a conflict that overwrites nothing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../server/protocol/index.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';

let cm: TestCellmate;
/** Autosave held back for a minute: changes stay unsaved while the test writes the file behind their back. */
let slow: TestCellmate;
const enc = encodeURIComponent;

beforeAll(async () => {
  cm = await startTestCellmate();
  slow = await startTestCellmate({}, { autosaveMs: 60_000 });
});
afterAll(async () => {
  await cm?.cleanup();
  await slow?.cleanup();
});

async function openTab(server: TestCellmate, path: string) {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/notebooks/${enc(path)}/ws?token=${server.token}`);
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  await waitFor('the snapshot', () => messages.some((m) => m.type === 'snapshot'));
  return { ws, messages, send: (message: unknown) => ws.send(JSON.stringify(message)) };
}

function notebookJson(...sources: string[]): string {
  const cells = sources.map((source, n) => ({ id: `cell-${n}`, cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null }));
  return `${JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }, null, 1)}\n`;
}

describe('uploads and downloads with a real kernel', () => {
  it('a notebook reads an uploaded sales.csv from its folder and writes out.png, which downloads', async () => {
    const csv = 'month,revenue\n2024-01,120\n2024-02,150\n2024-03,90\n';
    const up = await cm.api('/api/files/reports/sales.csv', { method: 'PUT', body: csv, headers: { 'content-type': 'text/csv' } });
    expect(up.status).toBe(201);
    await cm.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path: 'reports/analysis.ipynb' }) });
    const source = [
      'import pandas as pd',
      'import matplotlib',
      'matplotlib.use("Agg")',
      'import matplotlib.pyplot as plt',
      'df = pd.read_csv("sales.csv")',
      'df.plot(x="month", y="revenue").get_figure().savefig("out.png")',
      'print(int(df.revenue.sum()))',
    ].join('\n');
    const cell = await cm.api(`/api/notebooks/${enc('reports/analysis.ipynb')}/cells`, { method: 'POST', body: JSON.stringify({ source }) });
    const { id } = await cell.json();
    const run = await cm.api(`/api/notebooks/${enc('reports/analysis.ipynb')}/execute`, { method: 'POST', body: JSON.stringify({ cell_ids: [id] }) });
    const { cells } = await run.json();
    expect(cells[0]).toMatchObject({ status: 'ok', outputs: [{ output_type: 'stream', text: '360\n' }] });

    const listing = await (await cm.api(`/api/files?path=reports`)).json();
    expect(listing.map((e: { name: string; kind: string }) => `${e.name}:${e.kind}`)).toEqual(['analysis.ipynb:notebook', 'out.png:file', 'sales.csv:file']);
    const png = await cm.api('/api/files/reports/out.png');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toMatch(/^attachment; filename="out.png"/);
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(bytes.equals(await readFile(join(cm.workspace, 'reports', 'out.png')))).toBe(true);
  });
});

describe('changes to an open notebook by another program', () => {
  it('a clean notebook reloads in every open tab', async () => {
    await writeFile(join(cm.workspace, 'ext.ipynb'), notebookJson('print(1)'));
    const [a, b] = [await openTab(cm, 'ext.ipynb'), await openTab(cm, 'ext.ipynb')];
    await writeFile(join(cm.workspace, 'ext.ipynb'), notebookJson('print("changed by git")', 'x = 2'));
    for (const tab of [a, b]) {
      const reload = await waitFor('the reload', () =>
        tab.messages.find((m): m is Extract<ServerMessage, { type: 'edit' }> => m.type === 'edit' && m.edit.type === 'replace_document'),
      );
      expect(reload.edit.type === 'replace_document' && reload.edit.doc.cells.map((c) => c.source)).toEqual(['print("changed by git")', 'x = 2']);
    }
    const served = await (await cm.api(`/api/notebooks/ext.ipynb`)).json();
    expect(served.cells.map((c: { source: string | string[] }) => [c.source].flat().join(''))).toEqual(['print("changed by git")', 'x = 2']);
    a.ws.close();
    b.ws.close();
  });

  it('with unsaved changes: a conflict in every tab, the file untouched, then "load from disk"', async () => {
    const file = join(slow.workspace, 'busy.ipynb');
    await writeFile(file, notebookJson('mine = 1'));
    const [a, b] = [await openTab(slow, 'busy.ipynb'), await openTab(slow, 'busy.ipynb')];
    a.send({ type: 'edit', seq: 0, edit: { type: 'set_source', id: 'cell-0', source: 'mine = 2  # typed, not saved yet' } });
    await waitFor('the echo', () => b.messages.some((m) => m.type === 'edit'));
    const theirs = notebookJson('theirs = 1');
    await writeFile(file, theirs);
    for (const tab of [a, b]) await waitFor('the conflict', () => tab.messages.some((m) => m.type === 'conflict' && m.conflict?.disk === 'modified'));
    // Even a forced save (closing the notebook) must not overwrite: the person has not chosen.
    const session = await slow.sessions.get('busy.ipynb');
    await expect(session!.flush()).rejects.toThrow(/changed on disk/);
    expect(await readFile(file, 'utf8')).toBe(theirs);

    a.send({ type: 'resolve_conflict', choice: 'load_disk' });
    for (const tab of [a, b]) await waitFor('the settlement', () => tab.messages.some((m) => m.type === 'conflict' && m.conflict === null));
    const reloaded = b.messages.filter((m) => m.type === 'edit').at(-1);
    expect(reloaded?.type === 'edit' && reloaded.edit.type === 'replace_document' && reloaded.edit.doc.cells[0]?.source).toBe('theirs = 1');
    expect(await readFile(file, 'utf8')).toBe(theirs);
    a.ws.close();
    b.ws.close();
  });

  it('"keep mine" writes the open version over the other program\'s', async () => {
    const file = join(slow.workspace, 'mine.ipynb');
    await writeFile(file, notebookJson('v = 1'));
    const tab = await openTab(slow, 'mine.ipynb');
    tab.send({ type: 'edit', seq: 0, edit: { type: 'set_source', id: 'cell-0', source: 'v = "mine"' } });
    await waitFor('the echo', () => tab.messages.some((m) => m.type === 'edit'));
    await writeFile(file, notebookJson('v = "theirs"'));
    await waitFor('the conflict', () => tab.messages.some((m) => m.type === 'conflict'));
    tab.send({ type: 'resolve_conflict', choice: 'keep_mine' });
    await waitFor('the save', () => tab.messages.some((m) => m.type === 'saved'));
    expect(JSON.parse(await readFile(file, 'utf8')).cells[0].source).toEqual(['v = "mine"']);
    tab.ws.close();
  });
});
