/**
 * The workspace folder: where notebooks and the user's files live. Every path from outside goes through
 * `resolve`, the one place paths are checked; nothing is read or written before it has agreed.
 */
import { constants, realpathSync, statSync } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { createNotebook as newNotebookDoc, type NotebookDoc, type NotebookSummary } from '../protocol/index.ts';
import { BadRequest, CellmateError, Conflict, DiskChanged, NotebookNotFound, NotFound, PathOutsideWorkspace, PayloadTooLarge, StorageFull } from '../errors.ts';
import { errorCode, nodeFileSystem, writeAtomic, writeFileAtomic, type WriteFileSystem } from './atomic-write.ts';
import { resolveLimits, type InputLimits } from '../limits.ts';
import { hashBytesYielding, hashPiecesYielding, readVersion, versionOf, type FileVersion } from './file-version.ts';
import { parseNotebookBytes } from './parse-off-thread.ts';
import { isInside, normalizeRelativePath } from './paths.ts';
import { serializeNotebook, serializeNotebookYielding } from './serializer.ts';
import { formatBytes } from './workspace-files.ts';

/** An entry of the notebook list (the wire shape is in the protocol). */
export type NotebookInfo = NotebookSummary;

export interface FileEntry {
  path: string;
  size: number;
  kind: 'file' | 'directory';
}

export interface PathInfo extends FileEntry {
  name: string;
  last_modified: string;
}

export interface ReadNotebookResult {
  doc: NotebookDoc;
  /** Repairs made while reading (see `parseNotebook`); saving writes the repaired notebook. */
  warnings: string[];
  last_modified: string;
  /** What was read, to tell a later change by someone else from our own saves. */
  version: FileVersion;
}

export interface WriteNotebookOptions {
  /**
   * Write only if the file on disk is still this version (`null`: only if there is no file), else throw
   * `DiskChanged` and write nothing. Omitted: write whatever is there.
   */
  expected?: FileVersion | null;
}

export interface WrittenNotebook {
  last_modified: string;
  version: FileVersion;
}

/** Folders a listing never enters: hidden ones (`.cellmate`, `.ipynb_checkpoints`, `.git`) and tool caches. */
const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__']);
/** Linux's PATH_MAX less its final NUL: the longest absolute path a system call takes. */
const MAX_PATH_BYTES = 4095;
/** Enough for any real project, and a stop for pathological trees. */
const MAX_LIST_DEPTH = 32;
const UNTITLED = 'Untitled';

const isHidden = (name: string) => name.startsWith('.');

export class Workspace {
  /** The workspace folder, symlinks resolved. */
  readonly root: string;

  /** What a notebook may be: its size, cells and nesting (`CELLMATE_MAX_*`; defaults where not given). */
  readonly limits: InputLimits;

  /** Notebooks are written through this (Node's file system; a failing one in tests of a full disk). */
  readonly #fs: WriteFileSystem;

  /** @param root an absolute path to an existing folder */
  constructor(root: string, options: { limits?: Partial<InputLimits>; fileSystem?: WriteFileSystem } = {}) {
    this.limits = resolveLimits(options.limits);
    this.#fs = options.fileSystem ?? nodeFileSystem;
    if (!isAbsolute(root)) throw new Error(`The workspace must be an absolute path, not ${JSON.stringify(root)}`);
    try {
      this.root = realpathSync(root);
    } catch (error) {
      throw new Error(`The workspace folder ${root} can't be opened (${errorCode(error) ?? String(error)})`);
    }
    if (!statSync(this.root).isDirectory()) throw new Error(`The workspace ${root} is not a folder`);
  }

  /**
   * A client's path as the canonical relative form used as a key (`./a//b.ipynb` → `a/b.ipynb`), checked
   * lexically; throws `PathOutsideWorkspace`. `resolve` adds the filesystem check.
   */
  normalize(relPath: string): string {
    return normalizeRelativePath(relPath);
  }

  /**
   * The real absolute location of a workspace path, or `PathOutsideWorkspace`: besides `normalize`'s rules, the
   * deepest part of the path that exists must really lie in the workspace once symlinks are followed (a link
   * to `/etc` is refused; one to another folder of the workspace is fine). Dangling links and link loops are
   * refused: where they lead can't be checked.
   */
  async resolve(relPath: string): Promise<string> {
    const rel = normalizeRelativePath(relPath);
    const missing: string[] = [];
    let existing = rel === '' ? this.root : join(this.root, rel);
    for (;;) {
      try {
        const real = await realpath(existing);
        if (!isInside(this.root, real)) throw new PathOutsideWorkspace(relPath);
        // A link elsewhere in the workspace that leads into `.cellmate/` is refused like the folder itself.
        normalizeRelativePath(relative(this.root, join(real, ...missing)).split(sep).join('/'));
        const full = join(real, ...missing);
        if (Buffer.byteLength(full) > MAX_PATH_BYTES) throw pathTooLong(rel);
        return full;
      } catch (error) {
        if (error instanceof CellmateError) throw error;
        const code = errorCode(error);
        if (code === 'EACCES') throw new CellmateError(`No permission to open ${rel}`, 403);
        if (code === 'ENAMETOOLONG') throw pathTooLong(rel);
        // A loop of links: where it leads can't be checked.
        if (code === 'ELOOP') throw new PathOutsideWorkspace(relPath);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        const isLink = await lstat(existing).then((s) => s.isSymbolicLink(), () => false);
        if (isLink || existing === this.root) throw new PathOutsideWorkspace(relPath);
        missing.unshift(basename(existing));
        existing = dirname(existing);
      }
    }
  }

  /** Whether something exists at `path` (throws `PathOutsideWorkspace` rather than answering for outside). */
  async exists(path: string): Promise<boolean> {
    const real = await this.resolve(path);
    return stat(real).then(
      () => true,
      () => false,
    );
  }

  /** Size, kind and modification time of a file or folder; `NotFound` (`NotebookNotFound` for `.ipynb`). */
  async stat(path: string): Promise<PathInfo> {
    const rel = this.normalize(path);
    const info = await stat(await this.resolve(rel)).catch((error: unknown) => {
      throw notFound(rel, error);
    });
    return {
      path: rel,
      name: basename(rel),
      kind: info.isDirectory() ? 'directory' : 'file',
      size: info.size,
      last_modified: info.mtime.toISOString(),
    };
  }

  /** Every notebook below the root, sorted by path; hidden folders, `node_modules` and temp files skipped. */
  async listNotebooks(): Promise<NotebookInfo[]> {
    const found: NotebookInfo[] = [];
    const walk = async (rel: string, depth: number): Promise<void> => {
      const entries = await readdir(rel === '' ? this.root : join(this.root, rel), { withFileTypes: true }).catch(() => []);
      await Promise.all(
        entries.map(async (entry) => {
          if (isHidden(entry.name)) return;
          const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
          // Symlinked folders are not entered (they could loop or lead outside); real ones are, to a depth.
          if (entry.isDirectory()) {
            if (!SKIPPED_FOLDERS.has(entry.name) && depth < MAX_LIST_DEPTH) await walk(path, depth + 1);
            return;
          }
          if (!entry.name.endsWith('.ipynb') || !(entry.isFile() || entry.isSymbolicLink())) return;
          const info = await this.stat(path).catch(() => undefined);
          if (info?.kind === 'file') found.push({ path, name: entry.name, last_modified: info.last_modified });
        }),
      );
    };
    await walk('', 0);
    return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The visible files and folders of one folder (not recursive), sorted by path. */
  async listFiles(folder = ''): Promise<FileEntry[]> {
    const rel = this.normalize(folder);
    const entries = await readdir(await this.resolve(rel)).catch((error: unknown) => {
      throw notFound(rel, error);
    });
    const listed = await Promise.all(
      entries.filter((name) => !isHidden(name)).map((name) => this.stat(rel === '' ? name : `${rel}/${name}`).catch(() => undefined)),
    );
    return listed
      .filter((entry) => entry !== undefined)
      .map(({ path, size, kind }) => ({ path, size, kind }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Reads and parses a notebook; `NotebookNotFound` when missing, `InvalidNotebook` when unreadable. */
  async readNotebook(path: string): Promise<ReadNotebookResult> {
    const rel = notebookPath(this.normalize(path));
    const real = await this.resolve(rel);
    // O_NONBLOCK: a FIFO planted under a notebook's name must not hang the server on open.
    const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
      throw notFound(rel, error);
    });
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new BadRequest(`${rel} is not a file`);
      const max = this.limits.maxNotebookBytes;
      if (info.size > max) {
        throw new PayloadTooLarge(`${rel} is ${formatBytes(info.size)}: notebooks over ${formatBytes(max)} can't be opened (CELLMATE_MAX_NOTEBOOK_BYTES)`);
      }
      const bytes = await handle.readFile();
      // Hashed in slices and parsed off the event loop (the bytes go to the parser): a big notebook holds nothing up.
      const sha256 = await hashBytesYielding(bytes);
      const { doc, warnings } = await parseNotebookBytes(bytes, this.limits);
      return { doc, warnings, last_modified: info.mtime.toISOString(), version: versionOf(info, sha256) };
    } finally {
      await handle.close();
    }
  }

  /**
   * Saves a notebook atomically (temp file, fsync, rename, fsync folder), making missing folders. On failure
   * the previous file is intact and no temp file is left; a full disk is `StorageFull`; a file that is no longer
   * `options.expected` is `DiskChanged`, with nothing written.
   */
  async writeNotebook(path: string, doc: NotebookDoc, options: WriteNotebookOptions = {}): Promise<WrittenNotebook> {
    const rel = notebookPath(this.normalize(path));
    const real = await this.resolve(rel);
    await this.#makeFolder(rel, dirname(real));
    // Built and hashed in slices: a save of a notebook of many megabytes must not hold the server for long.
    const pieces = await serializeNotebookYielding(doc);
    if (options.expected !== undefined) {
      // Checked last thing before writing: the window in which another writer can slip in is the write itself.
      const current = await readVersion(real, options.expected);
      if (!sameVersion(current, options.expected)) throw new DiskChanged(rel, current);
    }
    const fill = async (handle: FileHandle) => {
      // Each call writes on from where the one before ended.
      for (const piece of pieces) await handle.writeFile(piece);
    };
    const written = await writeAtomic(real, fill, { fs: this.#fs }).catch((error: unknown) => {
      throw writeError(rel, error);
    });
    return { last_modified: written.mtime.toISOString(), version: versionOf(written, await hashPiecesYielding(pieces)) };
  }

  /** The version of a notebook's file on disk now (`null` when there is none), for change detection. */
  async notebookVersion(path: string, known?: FileVersion | null): Promise<FileVersion | null> {
    return readVersion(await this.resolve(notebookPath(this.normalize(path))), known);
  }

  /**
   * Creates a new notebook (one empty code cell) and returns its path: at `path`, or `Conflict` when something
   * is there; else at the first free name among `Untitled.ipynb`, `Untitled-1.ipynb`, `Untitled-2.ipynb`…
   * in the root. Creation is exclusive, so two concurrent creators never share a file.
   */
  async createNotebook(path?: string): Promise<string> {
    const text = serializeNotebook(newNotebookDoc());
    if (path !== undefined) {
      const rel = notebookPath(this.normalize(path));
      if (!(await this.#createExclusive(rel, text))) throw new Conflict(`${rel} already exists`);
      return rel;
    }
    for (let n = 0; n < 10_000; n++) {
      const rel = n === 0 ? `${UNTITLED}.ipynb` : `${UNTITLED}-${n}.ipynb`;
      // A name held by a link we refuse to follow is as taken as any other.
      const isCreated = await this.#createExclusive(rel, text).catch((error: unknown) => {
        if (error instanceof PathOutsideWorkspace) return false;
        throw error;
      });
      if (isCreated) return rel;
    }
    throw new Conflict(`No free ${UNTITLED}-N.ipynb name left in the workspace`);
  }

  /** Deletes a notebook (a symlink is removed, not its target); `NotebookNotFound` when missing. */
  async deleteNotebook(path: string): Promise<void> {
    const rel = notebookPath(this.normalize(path));
    await this.resolve(rel);
    const info = await lstat(join(this.root, rel)).catch((error: unknown) => {
      throw notFound(rel, error);
    });
    if (info.isDirectory()) throw new BadRequest(`${rel} is a folder, not a notebook`);
    await unlink(join(this.root, rel)).catch((error: unknown) => {
      throw notFound(rel, error);
    });
  }

  /** `false` when the name is taken (by a file, a folder or a link). */
  async #createExclusive(rel: string, text: string): Promise<boolean> {
    const real = await this.resolve(rel);
    await this.#makeFolder(rel, dirname(real));
    try {
      await writeFileAtomic(real, text, { exclusive: true, fs: this.#fs });
      return true;
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false;
      throw writeError(rel, error);
    }
  }

  async #makeFolder(rel: string, folder: string): Promise<void> {
    await mkdir(folder, { recursive: true }).catch((error: unknown) => {
      const code = errorCode(error);
      if (code === 'EEXIST' || code === 'ENOTDIR') throw new BadRequest(`Can't make the folder of ${rel}: a file is in the way`);
      throw writeError(rel, error);
    });
  }
}

/** Same content, or both missing. */
function sameVersion(a: FileVersion | null, b: FileVersion | null): boolean {
  return a === null || b === null ? a === b : a.sha256 === b.sha256;
}

function notebookPath(rel: string): string {
  if (!rel.endsWith('.ipynb') || rel === '.ipynb' || rel.endsWith('/.ipynb')) {
    throw new BadRequest(`A notebook path ends in .ipynb: ${JSON.stringify(rel)}`);
  }
  return rel;
}

function pathTooLong(rel: string): BadRequest {
  return new BadRequest(`Path too long: ${JSON.stringify(rel.length > 60 ? `${rel.slice(0, 60)}…` : rel)} is more than the file system takes (${MAX_PATH_BYTES} bytes from the root)`);
}

function notFound(rel: string, error: unknown): Error {
  const code = errorCode(error);
  if (code !== 'ENOENT' && code !== 'ENOTDIR') return error instanceof Error ? error : new Error(String(error));
  return rel.endsWith('.ipynb') ? new NotebookNotFound(`No notebook at ${rel}`) : new NotFound(`Nothing at ${rel}`);
}

function writeError(rel: string, error: unknown): Error {
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    const what = code === 'EDQUOT' ? 'disk quota' : 'disk space';
    return new StorageFull(`Not enough ${what} to save ${rel} (${code}); the previously saved version is unchanged. Free some space.`);
  }
  if (code === 'EISDIR') return new BadRequest(`${rel} is a folder, not a notebook`);
  if (code === 'EROFS') return new CellmateError(`${rel} is on a read-only file system (EROFS); the previously saved version is unchanged.`, 403);
  if (code === 'EACCES' || code === 'EPERM') {
    return new CellmateError(`No permission to write ${rel} (${code}): the file or its folder is read-only; the previously saved version is unchanged.`, 403);
  }
  return error instanceof Error ? error : new Error(String(error));
}
