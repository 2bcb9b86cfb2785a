/**
 * Failures in the middle of a save, made to happen with a stand-in for `node:fs/promises` (the real module,
 * with `open` wrapped so a test can make the next write fail the way a full disk does).
 */
import type { FileHandle } from 'node:fs/promises';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createCell, createNotebook } from '../protocol/index.ts';
import { StorageFull } from '../errors.ts';
import { Workspace } from './storage.ts';

type WriteFile = FileHandle['writeFile'];
interface Failure {
  /** Runs instead of the next temp-file write; `write` does the real one. */
  nextWrite?: (write: () => Promise<void>) => Promise<void>;
  /** Makes link() fail with this code, as on filesystems without hard links. */
  linkCode?: string;
}
const failure = vi.hoisted((): Failure => ({}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (...args) => {
    const handle = await actual.open(...args);
    const fail = failure.nextWrite;
    if (fail && args[1] === 'wx') {
      failure.nextWrite = undefined;
      const realWrite: WriteFile = handle.writeFile.bind(handle);
      handle.writeFile = (data) => fail(() => realWrite(data));
    }
    return handle;
  };
  const link: typeof actual.link = (existing, target) =>
    failure.linkCode ? Promise.reject(Object.assign(new Error(failure.linkCode), { code: failure.linkCode })) : actual.link(existing, target);
  return { ...actual, open, link };
});

const root = await mkdtemp(join(tmpdir(), 'cellmate-atomic-'));
const ws = new Workspace(root);
const doc = (source: string) => ({ ...createNotebook(), cells: [createCell('code', source)] });

afterEach(() => {
  failure.nextWrite = undefined;
  failure.linkCode = undefined;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('a save that fails', () => {
  it('on a full disk is StorageFull, with the old file intact and no temp file left', async () => {
    await ws.writeNotebook('nb.ipynb', doc('old'));
    const before = await readFile(join(root, 'nb.ipynb'), 'utf8');
    failure.nextWrite = async (write) => {
      await write(); // half the story: bytes reach the temp file, then the disk is full
      throw errno('ENOSPC');
    };
    const saving = ws.writeNotebook('nb.ipynb', doc('new '.repeat(10_000)));
    await expect(saving).rejects.toThrow(StorageFull);
    await expect(saving).rejects.toThrow(/disk space to save nb\.ipynb \(ENOSPC\); the previously saved version is unchanged/);
    expect(await readFile(join(root, 'nb.ipynb'), 'utf8')).toBe(before);
    expect(await readdir(root)).toEqual(['nb.ipynb']);
  });

  it('for any other reason also leaves no temp file, and the next save works', async () => {
    failure.nextWrite = () => Promise.reject(errno('EIO'));
    await expect(ws.writeNotebook('nb.ipynb', doc('x'))).rejects.toThrow(/EIO/);
    expect(await readdir(root)).toEqual(['nb.ipynb']);
    await ws.writeNotebook('nb.ipynb', doc('after'));
    expect((await ws.readNotebook('nb.ipynb')).doc.cells[0]!.source).toBe('after');
  });

  it('when creating a notebook leaves nothing behind', async () => {
    failure.nextWrite = () => Promise.reject(errno('EDQUOT'));
    await expect(ws.createNotebook('fresh.ipynb')).rejects.toThrow(StorageFull);
    expect(await readdir(root)).toEqual(['nb.ipynb']);
    await writeFile(join(root, 'keep.txt'), 'x');
    expect(await ws.createNotebook('fresh.ipynb')).toBe('fresh.ipynb');
  });
});

describe('a read-only notebook file', () => {
  it('is not replaced (even by root, whom a rename would let), and is saved again once writable', async () => {
    await ws.writeNotebook('locked.ipynb', doc('kept'));
    const before = await readFile(join(root, 'locked.ipynb'), 'utf8');
    await chmod(join(root, 'locked.ipynb'), 0o444);
    const saving = ws.writeNotebook('locked.ipynb', doc('replaced'));
    await expect(saving).rejects.toThrow(/No permission to write locked\.ipynb \(EACCES\): the file or its folder is read-only/);
    await expect(saving).rejects.toMatchObject({ status: 403 });
    expect(await readFile(join(root, 'locked.ipynb'), 'utf8')).toBe(before);
    expect((await readdir(root)).filter((name) => name.endsWith('.cellmate-tmp'))).toEqual([]);
    await chmod(join(root, 'locked.ipynb'), 0o644);
    await ws.writeNotebook('locked.ipynb', doc('replaced'));
    expect((await ws.readNotebook('locked.ipynb')).doc.cells[0]!.source).toBe('replaced');
  });
});

describe('creating a notebook where hard links are not supported', () => {
  it('still creates it exclusively, leaving no temp file', async () => {
    failure.linkCode = 'EPERM';
    expect(await ws.createNotebook('nolink.ipynb')).toBe('nolink.ipynb');
    await expect(ws.createNotebook('nolink.ipynb')).rejects.toThrow(/already exists/);
    expect((await ws.readNotebook('nolink.ipynb')).doc.cells).toHaveLength(1);
    expect((await readdir(root)).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
