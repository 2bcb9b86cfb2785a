import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createCell, createNotebook, type NotebookDoc } from '../protocol/index.ts';
import { BadRequest, Conflict, DiskChanged, InvalidNotebook, NotebookNotFound, NotFound, PathOutsideWorkspace } from '../errors.ts';
import { serializeNotebook } from './serializer.ts';
import { Workspace } from './storage.ts';

const base = await mkdtemp(join(tmpdir(), 'cellmate-storage-'));
let root: string;
let ws: Workspace;
let n = 0;

beforeEach(async () => {
  root = join(base, `ws${n++}`);
  await mkdir(root);
  ws = new Workspace(root);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function notebook(source: string): NotebookDoc {
  return { ...createNotebook(), cells: [createCell('code', source)] };
}

describe('Workspace paths', () => {
  it('normalises to one canonical relative form', () => {
    expect(ws.normalize('./a//b/./c.ipynb')).toBe('a/b/c.ipynb');
    expect(ws.normalize('')).toBe('');
    expect(ws.normalize('%41.ipynb')).toBe('%41.ipynb');
  });

  it.each(['../x.ipynb', 'a/../b.ipynb', '/etc/x.ipynb', 'a\0.ipynb', 'a\\..\\x.ipynb', '%2e%2e/x.ipynb', '..%2fx.ipynb', '%252e%252e/x.ipynb'])(
    'refuses %j before touching the disk',
    (path) => {
      expect(() => ws.normalize(path)).toThrow(PathOutsideWorkspace);
    },
  );

  it('needs an absolute, existing root', () => {
    expect(() => new Workspace('relative/ws')).toThrow(/absolute/);
    expect(() => new Workspace(join(base, 'missing'))).toThrow(/can't be opened/);
    expect(() => new Workspace(join(import.meta.dirname, 'storage.ts'))).toThrow(/not a folder/);
  });
});

describe('Workspace notebooks', () => {
  it('writes only over the expected version when asked, so a change by another program is never overwritten', async () => {
    const theirs = serializeNotebook(notebook('someone else'));
    const two = notebook('2');
    const first = await ws.writeNotebook('v.ipynb', notebook('1'));
    expect(await ws.notebookVersion('v.ipynb')).toEqual(first.version);
    const second = await ws.writeNotebook('v.ipynb', two, { expected: first.version });
    expect(second.version.sha256).not.toBe(first.version.sha256);
    await writeFile(join(root, 'v.ipynb'), theirs);
    await expect(ws.writeNotebook('v.ipynb', notebook('3'), { expected: second.version })).rejects.toThrow(DiskChanged);
    expect(await readFile(join(root, 'v.ipynb'), 'utf8')).toBe(theirs);
    // Same bytes with a new mtime (a touch, a copy) is not a change.
    await writeFile(join(root, 'v.ipynb'), serializeNotebook(two));
    await ws.writeNotebook('v.ipynb', notebook('4'), { expected: second.version });
    await expect(ws.writeNotebook('new.ipynb', notebook('1'), { expected: second.version })).rejects.toThrow(DiskChanged);
    await ws.writeNotebook('new.ipynb', notebook('1'), { expected: null });
    expect(await readdir(root)).toEqual(['new.ipynb', 'v.ipynb']);
  });

  it('writes, reads, stats and deletes a notebook, making missing folders', async () => {
    const doc = notebook('print(1)');
    const { last_modified, version } = await ws.writeNotebook('deep/er/nb.ipynb', doc);
    expect(await readFile(join(root, 'deep/er/nb.ipynb'), 'utf8')).toBe(serializeNotebook(doc));
    const read = await ws.readNotebook('deep/er/nb.ipynb');
    expect(read).toEqual({ doc, warnings: [], last_modified, version });
    expect(await ws.stat('deep/er/nb.ipynb')).toMatchObject({ path: 'deep/er/nb.ipynb', name: 'nb.ipynb', kind: 'file', last_modified });
    expect(await ws.exists('deep/er/nb.ipynb')).toBe(true);
    await ws.deleteNotebook('deep/er/nb.ipynb');
    expect(await ws.exists('deep/er/nb.ipynb')).toBe(false);
    await expect(ws.readNotebook('deep/er/nb.ipynb')).rejects.toThrow(NotebookNotFound);
    await expect(ws.deleteNotebook('deep/er/nb.ipynb')).rejects.toThrow(NotebookNotFound);
    await expect(ws.stat('deep/er/nb.ipynb')).rejects.toThrow(NotebookNotFound);
    await expect(ws.stat('deep/nothing.csv')).rejects.toThrow(NotFound);
  });

  it('wants .ipynb paths for notebooks', async () => {
    await expect(ws.writeNotebook('notes.txt', notebook(''))).rejects.toThrow(BadRequest);
    await expect(ws.readNotebook('a/.ipynb')).rejects.toThrow(BadRequest);
    await expect(ws.createNotebook('folder')).rejects.toThrow(BadRequest);
  });

  it('keeps the permissions of the file it replaces', async () => {
    await ws.writeNotebook('a.ipynb', notebook('1'));
    await chmod(join(root, 'a.ipynb'), 0o600);
    await ws.writeNotebook('a.ipynb', notebook('2'));
    expect((await stat(join(root, 'a.ipynb'))).mode & 0o777).toBe(0o600);
  });

  it('names new notebooks Untitled.ipynb, Untitled-1.ipynb… taking the first free name, even when racing', async () => {
    expect(await ws.createNotebook()).toBe('Untitled.ipynb');
    expect(await ws.createNotebook()).toBe('Untitled-1.ipynb');
    await ws.deleteNotebook('Untitled.ipynb');
    expect(await ws.createNotebook()).toBe('Untitled.ipynb');
    const raced = await Promise.all(Array.from({ length: 6 }, () => ws.createNotebook()));
    expect(new Set(raced).size).toBe(6);
    const { doc } = await ws.readNotebook('Untitled-2.ipynb');
    expect(doc.cells).toHaveLength(1);
    expect(doc.nbformat_minor).toBe(5);
  });

  it('creates at a given path, and answers Conflict when something is there', async () => {
    expect(await ws.createNotebook('./new/one.ipynb')).toBe('new/one.ipynb');
    await expect(ws.createNotebook('new/one.ipynb')).rejects.toThrow(Conflict);
    await mkdir(join(root, 'dir.ipynb'));
    await expect(ws.createNotebook('dir.ipynb')).rejects.toThrow(Conflict);
  });

  it('reports an unreadable notebook as InvalidNotebook, and a file in the way as BadRequest', async () => {
    await writeFile(join(root, 'broken.ipynb'), '{"nbformat": 4, "cells": [');
    await expect(ws.readNotebook('broken.ipynb')).rejects.toThrow(InvalidNotebook);
    await writeFile(join(root, 'file'), 'x');
    await expect(ws.writeNotebook('file/nb.ipynb', notebook(''))).rejects.toThrow(BadRequest);
    await mkdir(join(root, 'folder.ipynb'));
    await expect(ws.readNotebook('folder.ipynb')).rejects.toThrow(BadRequest);
    await expect(ws.writeNotebook('folder.ipynb', notebook(''))).rejects.toThrow(BadRequest);
    expect(await readdir(root)).toEqual(['broken.ipynb', 'file', 'folder.ipynb']);
    await expect(ws.deleteNotebook('folder.ipynb')).rejects.toThrow(BadRequest);
  });

  it('does not hang on a FIFO named like a notebook', async () => {
    expect(spawnSync('mkfifo', [join(root, 'pipe.ipynb')]).status).toBe(0);
    await expect(ws.readNotebook('pipe.ipynb')).rejects.toThrow(/not a file/);
  });

  it('reads and writes through a symlink inside the workspace, and deletes the link, not its target', async () => {
    await ws.writeNotebook('real/target.ipynb', notebook('a'));
    await symlink(join(root, 'real/target.ipynb'), join(root, 'link.ipynb'));
    expect((await ws.readNotebook('link.ipynb')).doc.cells[0]!.source).toBe('a');
    await ws.writeNotebook('link.ipynb', notebook('b'));
    expect((await ws.readNotebook('real/target.ipynb')).doc.cells[0]!.source).toBe('b');
    await ws.deleteNotebook('link.ipynb');
    expect(await ws.exists('real/target.ipynb')).toBe(true);
  });
});

describe('Workspace listings', () => {
  it('lists notebooks recursively, skipping hidden folders, node_modules, temp and other files', async () => {
    for (const path of ['b.ipynb', 'a/z.ipynb', 'a/b/c.ipynb', 'x.ipynb']) await ws.writeNotebook(path, notebook(''));
    await writeFile(join(root, 'data.csv'), '1,2\n');
    for (const hidden of ['.cellmate/s.ipynb', '.ipynb_checkpoints/b-checkpoint.ipynb', 'node_modules/p/n.ipynb', 'a/.hidden.ipynb', '.b.ipynb.123-ab.cellmate-tmp']) {
      await mkdir(join(root, hidden, '..'), { recursive: true });
      await writeFile(join(root, hidden), '{}');
    }
    const list = await ws.listNotebooks();
    expect(list.map((nb) => nb.path)).toEqual(['a/b/c.ipynb', 'a/z.ipynb', 'b.ipynb', 'x.ipynb']);
    expect(list[0]).toEqual({ path: 'a/b/c.ipynb', name: 'c.ipynb', last_modified: (await ws.stat('a/b/c.ipynb')).last_modified });
  });

  it('lists the visible files of one folder', async () => {
    await ws.writeNotebook('f/nb.ipynb', notebook(''));
    await writeFile(join(root, 'f/data.csv'), '1,2\n');
    await mkdir(join(root, 'f/sub'));
    await writeFile(join(root, 'f/.secret'), 'x');
    expect(await ws.listFiles('f')).toEqual([
      { path: 'f/data.csv', size: 4, kind: 'file' },
      { path: 'f/nb.ipynb', size: expect.any(Number), kind: 'file' },
      { path: 'f/sub', size: expect.any(Number), kind: 'directory' },
    ]);
    expect((await ws.listFiles()).map((f) => f.path)).toEqual(['f']);
    await expect(ws.listFiles('nope')).rejects.toThrow(NotFound);
  });
});

describe('temp files of interrupted saves', () => {
  it('are removed by the next save when their writer is gone, and kept while it lives', async () => {
    await ws.writeNotebook('nb.ipynb', notebook('1'));
    const dead = spawnSync('true').pid;
    const alive = process.ppid;
    await writeFile(join(root, `.nb.ipynb.${dead}-0a1b.cellmate-tmp`), '{"partial');
    await writeFile(join(root, `.nb.ipynb.${alive}-0a1b.cellmate-tmp`), '{"partial');
    await writeFile(join(root, `.other.ipynb.${dead}-0a1b.cellmate-tmp`), '{"partial');
    await ws.writeNotebook('nb.ipynb', notebook('2'));
    expect((await readdir(root)).sort()).toEqual([`.nb.ipynb.${alive}-0a1b.cellmate-tmp`, `.other.ipynb.${dead}-0a1b.cellmate-tmp`, 'nb.ipynb']);
  });
});

describe('notebooks in the workspace past the limits', () => {
  const limits = { maxNotebookBytes: 4 * 2 ** 20, maxCells: 1000, maxJsonDepth: 30 };
  const cells = (count: number, source = '') => ({ ...createNotebook(), cells: Array.from({ length: count }, () => createCell('raw', source)) });

  it('refuses a file over CELLMATE_MAX_NOTEBOOK_BYTES without reading it', async () => {
    const limited = new Workspace(root, { limits });
    await writeFile(join(root, 'huge.ipynb'), Buffer.alloc(limits.maxNotebookBytes + 1, 0x20));
    await expect(limited.readNotebook('huge.ipynb')).rejects.toMatchObject({
      status: 413,
      message: "huge.ipynb is 4 MiB: notebooks over 4 MiB can't be opened (CELLMATE_MAX_NOTEBOOK_BYTES)",
    });
  });

  it('refuses too many cells and too deep nesting, from a small file and from one parsed off the event loop', async () => {
    const limited = new Workspace(root, { limits });
    // 3 MB of cells goes to the parser thread; a few kilobytes are parsed at once. Both answer alike.
    for (const source of ['', 'x'.repeat(3000)]) {
      await writeFile(join(root, 'many.ipynb'), serializeNotebook(cells(1001, source)));
      await expect(limited.readNotebook('many.ipynb')).rejects.toMatchObject({ status: 413, message: expect.stringMatching(/has 1,001 cells; .* up to 1,000 cells .*CELLMATE_MAX_CELLS/) });
      const deep = { ...cells(900, source), metadata: { x: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) } };
      await writeFile(join(root, 'deep.ipynb'), serializeNotebook(deep));
      await expect(limited.readNotebook('deep.ipynb')).rejects.toThrow(new InvalidNotebook('The notebook nests JSON deeper than 30 levels (CELLMATE_MAX_JSON_DEPTH)'));
      await writeFile(join(root, 'fine.ipynb'), serializeNotebook(cells(1000, source)));
      expect((await limited.readNotebook('fine.ipynb')).doc.cells).toHaveLength(1000);
    }
  });
});
