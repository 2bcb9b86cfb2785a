/**
 * A save is durable, as the README promises: the new bytes are flushed (fsync) before the rename makes them the
 * notebook, and the folder is flushed after it so the rename survives a power cut. Observed through the
 * `WriteFileSystem` the workspace writes with: Node's own calls, each one noted in the order it happened.
 */
import * as nodeFs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCell, createNotebook } from '../protocol/index.ts';
import type { WriteFileSystem } from './atomic-write.ts';
import { Workspace } from './storage.ts';

/** What the write did, as `call name` with temp files shown as `temp` and the notebook's folder as `folder`. */
const calls: string[] = [];
const root = await mkdtemp(join(tmpdir(), 'cellmate-durable-'));

function nameOf(path: string): string {
  if (path === root) return 'folder';
  return path.endsWith('.cellmate-tmp') ? 'temp' : basename(path);
}

/** The handle's writes, flushes and closes noted; everything else as Node does it. */
function observed(handle: FileHandle, name: string): FileHandle {
  const real = { writeFile: handle.writeFile.bind(handle), sync: handle.sync.bind(handle), close: handle.close.bind(handle) };
  handle.writeFile = async (...args) => {
    calls.push(`write ${name}`);
    return real.writeFile(...args);
  };
  handle.sync = async () => {
    calls.push(`fsync ${name}`);
    return real.sync();
  };
  handle.close = async () => {
    calls.push(`close ${name}`);
    return real.close();
  };
  return handle;
}

const fs: WriteFileSystem = {
  ...nodeFs,
  open: (async (path: string, flags?: string, mode?: number) => observed(await nodeFs.open(path, flags, mode), nameOf(String(path)))) as WriteFileSystem['open'],
  rename: async (from, to) => {
    calls.push(`rename ${nameOf(String(from))} ${nameOf(String(to))}`);
    return nodeFs.rename(from, to);
  },
};

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('saving a notebook', () => {
  it('flushes the new bytes before the rename, and the folder after it', async () => {
    const workspace = new Workspace(root, { fileSystem: fs });
    const doc = { ...createNotebook(), cells: [createCell('code', 'print("kept")')] };
    await workspace.writeNotebook('durable.ipynb', doc);
    const wrote = calls.indexOf('write temp');
    const flushed = calls.indexOf('fsync temp');
    const renamed = calls.indexOf('rename temp durable.ipynb');
    const folderFlushed = calls.indexOf('fsync folder');
    expect(wrote).toBeGreaterThanOrEqual(0);
    expect(flushed).toBeGreaterThan(wrote);
    expect(renamed).toBeGreaterThan(flushed);
    expect(calls.indexOf('close temp')).toBeLessThan(renamed);
    expect(folderFlushed).toBeGreaterThan(renamed);
    expect(await readFile(join(root, 'durable.ipynb'), 'utf8')).toContain('print(\\"kept\\")');
  });
});
