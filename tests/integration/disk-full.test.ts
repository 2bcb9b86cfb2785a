/**
 * The disk full or read-only while a notebook is being edited, in a whole Cellmate: the failure is made at the
 * storage layer (`FaultyDisk`, the file-system calls of the atomic write), or is real (a notebook file made
 * read-only with chmod). Each time the open tabs are told, every edit stays in the server's notebook, the file
 * on disk stays the last good version (no truncation, no temp file), and once writing works again the notebook
 * is saved without anyone doing anything, and the tabs hear so.
 */
import { chmod, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCell, type CellId, type ServerMessage } from '../../server/protocol/index.ts';
import type { NotebookSession } from '../../server/sessions/notebook-session.ts';
import { parseNotebook } from '../../server/store/serializer.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { FaultyDisk, type DiskFault } from '../helpers/faulty-disk.ts';
import { notebookWithCells, openNotebookSocket, type TestSocket } from '../helpers/notebook-socket.ts';

const disk = new FaultyDisk();
let cm: TestCellmate;

beforeAll(async () => {
  cm = await startTestCellmate({}, { fileSystem: disk.fs });
});
afterEach(() => {
  disk.heal();
});
afterAll(async () => {
  await cm?.cleanup();
});

/** A notebook with one cell, saved, a tab open on it, and a way to type into the cell from that tab. */
async function editedNotebook(path: string) {
  const [cell] = await notebookWithCells(cm, path, ['x = 1']);
  const tab = await openNotebookSocket(cm, path);
  await tab.waitFor('the snapshot', (m) => m.type === 'snapshot');
  const session = await cm.sessions.open(path);
  await session.flush();
  const file = join(cm.workspace, path);
  let seq = 0;
  const type = (source: string) => tab.send({ type: 'edit', seq: seq++, source: 'keyboard', edit: { type: 'set_source', id: cell!, source } });
  const addCell = (source: string) => tab.send({ type: 'edit', seq: seq++, source: 'ui', edit: { type: 'insert_cell', index: 1, cell: createCell('markdown', source) } });
  return { cell: cell!, tab, session, file, before: await readFile(file, 'utf8'), type, addCell };
}

const tempFiles = async (file: string) => (await readdir(dirname(file))).filter((name) => name.endsWith('.cellmate-tmp'));
const after = (tab: TestSocket, since: number) => (m: ServerMessage) => tab.messages.indexOf(m) >= since;

/** Edits made while saving fails: all in the server's notebook, none on disk, the tab told why. */
async function editWhileFailing(setup: Awaited<ReturnType<typeof editedNotebook>>, reason: RegExp): Promise<void> {
  const { tab, session, file, before, type, addCell, cell } = setup;
  const cells = session.doc().cells.length;
  type('x = 2');
  const failed = await tab.waitFor('the save failure', (m) => m.type === 'save_failed');
  expect(failed).toMatchObject({ message: expect.stringMatching(reason), retry_in_ms: expect.any(Number) });
  expect(failed.type === 'save_failed' && failed.message).toMatch(/kept here, and saving is tried again by itself/);

  // Typing goes on meanwhile: every edit is kept.
  type('x = 3');
  addCell('written while the disk was full');
  await waitFor('the edits in the server', () => session.doc().cells.length === cells + 1 && sourceOf(session, cell) === 'x = 3');
  expect(session.hasUnsavedChanges).toBe(true);
  expect(await readFile(file, 'utf8')).toBe(before);
  expect(await tempFiles(file)).toEqual([]);
}

const sourceOf = (session: NotebookSession, id: CellId) => session.doc().cells.find((c) => c.id === id)?.source;

/** Once writing works: saved by itself, the file is the server's notebook, every tab hears `saved`. */
async function expectSavedByItself(tabs: TestSocket[], since: number[], session: NotebookSession, file: string): Promise<void> {
  for (const [i, tab] of tabs.entries()) await tab.waitFor('saved after the disk came back', (m) => after(tab, since[i]!)(m) && m.type === 'saved');
  const { doc, warnings } = parseNotebook(await readFile(file, 'utf8'));
  expect(warnings).toEqual([]);
  expect(doc).toEqual(session.doc());
  expect(session.hasUnsavedChanges).toBe(false);
  expect(await tempFiles(file)).toEqual([]);
  // A tab that opens now sees no failure any more.
  const fresh = await openNotebookSocket(cm, session.path);
  const snapshot = await fresh.waitFor('snapshot', (m) => m.type === 'snapshot');
  expect(snapshot.type === 'snapshot' && snapshot.save_error).toBeUndefined();
  await fresh.close();
}

const REASONS: Record<DiskFault, RegExp> = {
  ENOSPC: /Not enough disk space to save .* \(ENOSPC\); the previously saved version is unchanged/,
  EDQUOT: /Not enough disk quota to save .* \(EDQUOT\)/,
  EROFS: /is on a read-only file system \(EROFS\)/,
  EACCES: /No permission to write .* \(EACCES\)/,
};

describe('saving while the disk fails', () => {
  it.each(Object.keys(REASONS) as DiskFault[])('%s: the tabs are told, the edits kept, the file intact, saving resumes by itself', async (code) => {
    const setup = await editedNotebook(`disk-${code}.ipynb`);
    const { tab, session, file, before } = setup;
    disk.fail(code);
    await editWhileFailing(setup, REASONS[code]);

    // A tab that opens now is told at once, and gets every edit.
    const late = await openNotebookSocket(cm, session.path);
    const snapshot = await late.waitFor('snapshot', (m) => m.type === 'snapshot');
    expect(snapshot).toMatchObject({ save_error: expect.stringMatching(REASONS[code]) });
    expect(snapshot.type === 'snapshot' && snapshot.doc).toEqual(session.doc());

    // Nobody does anything more: the save is tried again by itself, and fails again while the disk is still bad.
    const lastEdit = tab.messages.findLastIndex((m) => m.type === 'edit');
    await tab.waitFor('a failed save holding every edit', (m) => tab.messages.indexOf(m) > lastEdit && m.type === 'save_failed');
    const attempts = disk.failedWrites;
    await waitFor('a retry nobody asked for', () => disk.failedWrites > attempts);
    expect(await readFile(file, 'utf8')).toBe(before);

    const since = [tab.messages.length, late.messages.length];
    disk.heal();
    await expectSavedByItself([tab, late], since, session, file);
    await Promise.all([tab.close(), late.close()]);
  });

  it('a read-only notebook file (chmod a-w): told, kept, saved once it is writable again', async () => {
    const setup = await editedNotebook('read-only.ipynb');
    const { tab, session, file } = setup;
    await chmod(file, 0o444);
    await editWhileFailing(setup, /No permission to write read-only\.ipynb \(EACCES\): the file or its folder is read-only/);

    const since = [tab.messages.length];
    await chmod(file, 0o644);
    await expectSavedByItself([tab], since, session, file);
    await tab.close();
  });
});
