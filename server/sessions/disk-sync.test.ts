/**
 * Changes made to an open notebook's file by another program, on a real folder with real `fs.watch`: a clean
 * notebook reloads, one with unsaved changes gets a conflict and nothing is overwritten until a person chooses,
 * and our own saves never come back as changes.
 */
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientId, createCell, createNotebook, type NotebookDoc, type ServerMessage } from '../protocol/index.ts';
import { serializeNotebook } from '../store/serializer.ts';
import { Workspace } from '../store/storage.ts';
import { SessionManager } from './session-manager.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

/** Polls until `check` holds (watch events take a moment); never a fixed sleep for the thing awaited. */
async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let root: string;
let sessions: SessionManager;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-disk-'));
});
afterEach(async () => {
  await sessions?.dispose();
  await rm(root, { recursive: true, force: true });
});

function doc(...sources: string[]): NotebookDoc {
  return { ...createNotebook(), cells: sources.map((source) => createCell('code', source)) };
}

async function open(path: string, initial: NotebookDoc, options: { watchFiles?: boolean } = {}) {
  await writeFile(join(root, path), serializeNotebook(initial));
  sessions = new SessionManager({ workspace: new Workspace(root), kernels: noKernels, autosaveMs: 20, ...options });
  const session = await sessions.open(path);
  const messages: ServerMessage[] = [];
  session.connect({ clientId: ClientId.create(), send: (m) => messages.push(m) });
  const sourceOf = (d: NotebookDoc) => d.cells.map((c) => c.source);
  const ofType = <T extends ServerMessage['type']>(type: T) => messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  return { session, messages, sourceOf, ofType, file: join(root, path) };
}

describe('a change on disk by another program', () => {
  it('reloads a notebook with nothing unsaved, in every tab, without writing it back', async () => {
    const { session, ofType, sourceOf, file } = await open('a.ipynb', doc('mine'));
    const theirs = serializeNotebook(doc('from git', 'second'));
    await writeFile(file, theirs);
    await waitFor('the reload', () => ofType('edit').some((m) => m.edit.type === 'replace_document'));
    const reload = ofType('edit').find((m) => m.edit.type === 'replace_document')!;
    expect(reload.source).toBe('system');
    expect(sourceOf(session.doc())).toEqual(['from git', 'second']);
    expect(session.hasUnsavedChanges).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await readFile(file, 'utf8')).toBe(theirs); // not rewritten in our formatting
    expect(ofType('conflict')).toEqual([]);
  });

  it('never mistakes our own saves for a change', async () => {
    const { session, ofType } = await open('own.ipynb', doc('x'));
    const id = session.doc().cells[0]!.id;
    for (let n = 0; n < 5; n++) {
      session.applyEdits([{ type: 'set_source', id, source: `x = ${n}` }], 'api');
      await session.flush();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ofType('saved').length).toBeGreaterThanOrEqual(5);
    expect(ofType('edit').map((m) => m.edit.type)).toEqual(Array(5).fill('set_source'));
    expect(ofType('conflict')).toEqual([]);
  });

  it('with unsaved changes: a conflict, nothing overwritten, until "load from disk" takes theirs', async () => {
    const { session, ofType, sourceOf, file } = await open('b.ipynb', doc('mine'), {});
    // A slow autosave keeps the change unsaved while the other program writes.
    const id = session.doc().cells[0]!.id;
    const theirs = serializeNotebook(doc('theirs'));
    session.applyEdits([{ type: 'set_source', id, source: 'typed' }], 'api');
    await writeFile(file, theirs);
    await waitFor('the conflict', () => ofType('conflict').length > 0);
    expect(ofType('conflict')[0]!.conflict).toMatchObject({ disk: 'modified' });
    expect(session.conflict).toMatchObject({ disk: 'modified' });
    session.applyEdits([{ type: 'set_source', id, source: 'typed more' }], 'api');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await readFile(file, 'utf8')).toBe(theirs);
    expect(ofType('error')).toEqual([]);

    const late: ServerMessage[] = [];
    session.connect({ clientId: ClientId.create(), send: (m) => late.push(m) });
    expect(late[0]).toMatchObject({ type: 'snapshot', conflict: { disk: 'modified' } });

    await session.resolveConflict('load_disk');
    expect(sourceOf(session.doc())).toEqual(['theirs']);
    expect(ofType('conflict').at(-1)).toEqual({ type: 'conflict', conflict: null });
    expect(session.hasUnsavedChanges).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await readFile(file, 'utf8')).toBe(theirs);
  });

  it('"keep mine" writes this notebook over the disk version, and saving goes on', async () => {
    const { session, ofType, file } = await open('c.ipynb', doc('mine'));
    const id = session.doc().cells[0]!.id;
    session.applyEdits([{ type: 'set_source', id, source: 'keep me' }], 'api');
    await writeFile(file, serializeNotebook(doc('theirs')));
    await waitFor('the conflict', () => session.conflict !== null);
    await session.resolveConflict('keep_mine');
    expect(session.conflict).toBeNull();
    expect(JSON.parse(await readFile(file, 'utf8')).cells[0].source).toEqual(['keep me']);
    session.applyEdits([{ type: 'set_source', id, source: 'and more' }], 'api');
    await session.flush();
    expect(JSON.parse(await readFile(file, 'utf8')).cells[0].source).toEqual(['and more']);
    expect(ofType('conflict').map((m) => m.conflict?.disk ?? null)).toEqual(['modified', null]);
  });

  it('is caught at save time even when no watch event came', async () => {
    const { session, ofType, file } = await open('d.ipynb', doc('mine'), { watchFiles: false });
    const theirs = serializeNotebook(doc('theirs'));
    await writeFile(file, theirs);
    session.applyEdits([{ type: 'set_source', id: session.doc().cells[0]!.id, source: 'typed' }], 'api');
    await waitFor('the conflict', () => ofType('conflict').length > 0);
    await expect(session.flush()).rejects.toThrow(/changed on disk/);
    expect(await readFile(file, 'utf8')).toBe(theirs);
  });

  it('closing with a conflict still open keeps the unsaved version beside the file, not over it', async () => {
    const { session, file } = await open('g.ipynb', doc('mine'), { watchFiles: false });
    const theirs = serializeNotebook(doc('theirs'));
    await writeFile(file, theirs);
    session.applyEdits([{ type: 'set_source', id: session.doc().cells[0]!.id, source: 'typed' }], 'api');
    await waitFor('the conflict', () => session.conflict !== null);
    await sessions.dispose();
    expect(await readFile(file, 'utf8')).toBe(theirs);
    const copies = (await readdir(root)).filter((name) => name.startsWith('g (unsaved '));
    expect(copies).toHaveLength(1);
    expect(JSON.parse(await readFile(join(root, copies[0]!), 'utf8')).cells[0].source).toEqual(['typed']);
  });

  it('a deleted file is a conflict; "keep mine" writes it again', async () => {
    const { session, ofType, file } = await open('e.ipynb', doc('mine'));
    await unlink(file);
    await waitFor('the conflict', () => ofType('conflict').some((m) => m.conflict?.disk === 'deleted'));
    await expect(session.resolveConflict('load_disk')).rejects.toThrow(/no longer exists/);
    await session.resolveConflict('keep_mine');
    expect(JSON.parse(await readFile(file, 'utf8')).cells[0].source).toEqual(['mine']);
  });

  it('a choice sent when no conflict is open changes nothing (no unchecked overwrite)', async () => {
    const { session, file } = await open('h.ipynb', doc('mine'), { watchFiles: false });
    const theirs = serializeNotebook(doc('theirs'));
    await writeFile(file, theirs);
    await session.resolveConflict('keep_mine');
    expect(await readFile(file, 'utf8')).toBe(theirs);
  });

  it('a touch or a copy of the same bytes is not a change', async () => {
    const { ofType, file } = await open('f.ipynb', doc('same'));
    await writeFile(file, await readFile(file));
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(ofType('edit')).toEqual([]);
    expect(ofType('conflict')).toEqual([]);
  });
});
