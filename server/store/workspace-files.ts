/**
 * The workspace's files as the file browser and `/api/files` see them: list a folder, read (streamed), upload
 * (streamed to a temp file, renamed into place), make folders, rename or move, delete. Every path goes through
 * `Workspace.resolve` first — the one place paths are checked — so nothing outside the workspace is ever read,
 * written, listed or removed.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { BadRequest, CellmateError, Conflict, NotFound, PayloadTooLarge, StorageFull } from '../errors.ts';
import { errorCode, writeAtomic } from './atomic-write.ts';
import type { Workspace } from './storage.ts';

import type { FileKind, FileListing } from '../protocol/resources.ts';

export type { FileKind, FileListing };

export interface OpenedFile {
  path: string;
  name: string;
  size: number;
  last_modified: string;
  /** Open for reading; the caller streams it and closes it (a read stream with autoClose does). */
  handle: FileHandle;
}

export interface UploadOptions {
  maxBytes: number;
  /** The request's Content-Length, when it sent one: a body declared too large is refused before anything is made. */
  declaredBytes?: number;
}

export interface Uploaded {
  path: string;
  size: number;
  /** `false` when an existing file was replaced. */
  created: boolean;
}

const isHidden = (name: string) => name.startsWith('.');
const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export class WorkspaceFiles {
  constructor(readonly workspace: Workspace) {}

  /** The visible entries of one folder (not recursive), sorted by path; links leading outside are left out. */
  async list(folder = ''): Promise<FileListing[]> {
    const rel = this.workspace.normalize(folder);
    const real = await this.workspace.resolve(rel);
    const info = await stat(real).catch((error: unknown) => {
      throw missing(rel, error);
    });
    if (!info.isDirectory()) throw new BadRequest(`${rel} is a file, not a folder`);
    const names = (await readdir(real)).filter((name) => !isHidden(name));
    const entries = await Promise.all(
      names.map(async (name): Promise<FileListing | undefined> => {
        const entry = await this.workspace.stat(rel === '' ? name : `${rel}/${name}`).catch(() => undefined);
        if (!entry) return undefined;
        const kind: FileKind = entry.kind === 'file' && name.endsWith('.ipynb') ? 'notebook' : entry.kind;
        return { path: entry.path, name: entry.name, kind, size: entry.size, last_modified: entry.last_modified };
      }),
    );
    return entries.filter((entry) => entry !== undefined).sort(byPath);
  }

  /** Opens a file for download; `NotFound`, or `BadRequest` for a folder or anything that is not a plain file. */
  async openRead(path: string): Promise<OpenedFile> {
    const rel = this.#nonRoot(path, 'download');
    const real = await this.workspace.resolve(rel);
    // The resolved path has no links left; O_NOFOLLOW refuses one swapped in since. O_NONBLOCK: a FIFO can't hang us.
    const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW).catch((error: unknown) => {
      throw missing(rel, error);
    });
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw new BadRequest(info.isDirectory() ? `${rel} is a folder: download its files one by one` : `${rel} is not a regular file`);
    }
    return { path: rel, name: basename(rel), size: info.size, last_modified: info.mtime.toISOString(), handle };
  }

  /**
   * Streams `body` into the file at `path` (replacing it, making missing folders). Over `maxBytes` it is
   * `PayloadTooLarge` and nothing is left behind: not the temp file, not the folders made for it, and an
   * existing file keeps its old content.
   */
  async upload(path: string, body: ReadableStream<Uint8Array> | null, options: UploadOptions): Promise<Uploaded> {
    const rel = this.#nonRoot(path, 'upload to');
    const tooLarge = () => new PayloadTooLarge(`Uploads are limited to ${formatBytes(options.maxBytes)} (CELLMATE_MAX_UPLOAD_BYTES)`);
    if (options.declaredBytes !== undefined && options.declaredBytes > options.maxBytes) {
      await body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    const real = await this.workspace.resolve(rel);
    const existing = await lstat(real).catch(() => undefined);
    if (existing?.isDirectory()) throw new BadRequest(`${rel} is a folder`);
    const firstMade = await this.#makeParents(rel, dirname(real));
    let size = 0;
    const reader = body?.getReader();
    try {
      await writeAtomic(real, async (handle) => {
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) return;
          const value = chunk.value;
          size += value.byteLength;
          if (size > options.maxBytes) throw tooLarge();
          await handle.write(value);
        }
      });
    } catch (error) {
      await reader?.cancel().catch(() => undefined);
      if (firstMade) await removeMadeFolders(firstMade, dirname(real));
      throw writeError(rel, error);
    }
    return { path: rel, size, created: existing === undefined };
  }

  /** Makes a folder (and missing parents); `Conflict` when something is there already. */
  async makeFolder(path: string): Promise<string> {
    const rel = this.#nonRoot(path, 'create');
    const real = await this.workspace.resolve(rel);
    await this.#makeParents(rel, dirname(real));
    await mkdir(real).catch((error: unknown) => {
      if (errorCode(error) === 'EEXIST') throw new Conflict(`${rel} already exists`);
      throw writeError(rel, error);
    });
    return rel;
  }

  /**
   * Renames or moves a file or folder. Refused: an existing target (`Conflict`, never overwritten), the root,
   * a folder into itself. A link is moved as a link. Missing folders of the target are made.
   */
  async rename(from: string, to: string): Promise<{ from: string; to: string; kind: FileKind }> {
    const source = this.#nonRoot(from, 'rename');
    const target = this.#nonRoot(to, 'rename onto');
    if (target === source) throw new Conflict(`${target} already exists`);
    if (target.startsWith(`${source}/`)) throw new BadRequest(`Can't move ${source} into itself`);
    const sourcePlace = await this.#place(source);
    const info = await lstat(sourcePlace).catch((error: unknown) => {
      throw missing(source, error);
    });
    const targetReal = await this.workspace.resolve(target);
    if (await lstat(targetReal).then(() => true, () => false)) throw new Conflict(`${target} already exists`);
    await this.#makeParents(target, dirname(targetReal));
    await rename(sourcePlace, targetReal).catch((error: unknown) => {
      if (errorCode(error) === 'EINVAL') throw new BadRequest(`Can't move ${source} into itself`);
      if (errorCode(error) === 'EEXIST' || errorCode(error) === 'ENOTEMPTY') throw new Conflict(`${target} already exists`);
      throw writeError(target, error);
    });
    const kind: FileKind = info.isDirectory() ? 'directory' : source.endsWith('.ipynb') ? 'notebook' : 'file';
    return { from: source, to: target, kind };
  }

  /** Deletes a file, a link (not what it points to) or a folder with everything in it; never the root. */
  async remove(path: string): Promise<{ path: string; kind: FileKind }> {
    const rel = this.#nonRoot(path, 'delete');
    const place = await this.#place(rel);
    const info = await lstat(place).catch((error: unknown) => {
      throw missing(rel, error);
    });
    if (info.isDirectory()) await rm(place, { recursive: true });
    else await unlink(place);
    return { path: rel, kind: info.isDirectory() ? 'directory' : rel.endsWith('.ipynb') ? 'notebook' : 'file' };
  }

  /** The checked, canonical form of a path that must not be the workspace itself. */
  #nonRoot(path: string, verb: string): string {
    const rel = this.workspace.normalize(path);
    if (rel === '') throw new BadRequest(`Can't ${verb} the workspace folder itself`);
    return rel;
  }

  /**
   * Where the entry named by `rel` sits, without following it if it is a link: its real parent folder plus its
   * own name. `resolve(rel)` is asked first, so an entry leading outside is refused like any other path.
   */
  async #place(rel: string): Promise<string> {
    await this.workspace.resolve(rel);
    const parent = await this.workspace.resolve(rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');
    return join(parent, basename(rel));
  }

  /** Makes `folder` (the real parent of `rel`) and returns the first folder it had to make, if any. */
  async #makeParents(rel: string, folder: string): Promise<string | undefined> {
    return mkdir(folder, { recursive: true }).catch((error: unknown) => {
      const code = errorCode(error);
      if (code === 'EEXIST' || code === 'ENOTDIR') throw new BadRequest(`Can't make the folder of ${rel}: a file is in the way`);
      throw writeError(rel, error);
    });
  }
}

/** Removes the folders an aborted upload made, deepest first, from `deepest` up to `first` (only if empty). */
async function removeMadeFolders(first: string, deepest: string): Promise<void> {
  const rel = relative(first, deepest);
  const parts = rel === '' ? [] : rel.split(sep);
  for (let n = parts.length; n >= 0; n--) await rmdir(join(first, ...parts.slice(0, n))).catch(() => undefined);
}

function missing(rel: string, error: unknown): Error {
  const code = errorCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new NotFound(`Nothing at ${rel}`);
  if (code === 'ELOOP') return new BadRequest(`${rel} is a link`);
  return error instanceof Error ? error : new Error(String(error));
}

function writeError(rel: string, error: unknown): Error {
  if (error instanceof CellmateError) return error;
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageFull(`Not enough disk space for ${rel}`);
  if (code === 'EISDIR') return new BadRequest(`${rel} is a folder`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new CellmateError(`No permission to write ${rel} (${code})`, 403);
  return error instanceof Error ? error : new Error(String(error));
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${+(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${+(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${+(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
