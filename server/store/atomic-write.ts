/**
 * Crash-safe file writes: the new content goes to a temp file in the same folder, is flushed to disk, then
 * renamed over the target (atomic on POSIX), and the folder is flushed so the rename itself survives a power
 * cut. A reader sees the old file or the new one, never a mix; a failure leaves the old file untouched.
 *
 * Temp files are hidden (`.name.ipynb.<pid>-<random>.cellmate-tmp`), so listings skip them. A process killed
 * mid-write leaves one behind; the next successful write of the same file (and the next open of a notebook)
 * removes those whose process is gone.
 *
 * Every call goes through a `WriteFileSystem`: Node's, or one that fails on purpose the way a full or read-only
 * disk does, so what happens then can be tested through the whole server.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const TEMP_SUFFIX = '.cellmate-tmp';
/** Keeps temp names under the usual 255-byte limit whatever the target's name. */
const MAX_BASE_IN_TEMP_NAME = 100;

/** Temp files being written by this process right now: never "stale", whatever their age. */
const inFlight = new Set<string>();

/** The file-system calls a write makes. */
export type WriteFileSystem = Pick<typeof nodeFs, 'open' | 'rename' | 'link' | 'unlink' | 'stat' | 'readdir'>;

/** Node's own file system. */
export const nodeFileSystem: WriteFileSystem = nodeFs;

export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function tempPrefix(target: string): string {
  return `.${basename(target).slice(0, MAX_BASE_IN_TEMP_NAME)}.`;
}

/** Whether a file name is one of our temp files (for listings that show hidden files). */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

export interface WriteOptions {
  /** Fail with `EEXIST` instead of replacing an existing file (used to create new notebooks race-free). */
  exclusive?: boolean;
  /** The calls go through this (default: Node's). */
  fs?: WriteFileSystem;
}

/**
 * Writes `data` to `target` atomically and durably; resolves with the file's modification time. The file keeps
 * the permissions of the one it replaces; a read-only file (no write permission for anyone) is not replaced:
 * `EACCES`.
 */
export async function writeFileAtomic(target: string, data: string, options: WriteOptions = {}): Promise<Date> {
  return (await writeAtomic(target, (handle) => handle.writeFile(data, 'utf8'), options)).mtime;
}

/**
 * The general form of `writeFileAtomic`: `fill` writes the content into the temp file (a string, a stream…);
 * whatever it throws aborts the write, removes the temp file and leaves the target as it was. Resolves with the
 * written file's stats (the same inode, size and mtime the target has after the rename).
 */
export async function writeAtomic(target: string, fill: (handle: FileHandle) => Promise<void>, options: WriteOptions = {}): Promise<Stats> {
  const fs = options.fs ?? nodeFileSystem;
  const folder = dirname(target);
  const temp = join(folder, `${tempPrefix(target)}${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const previousMode = options.exclusive ? undefined : await fs.stat(target).then((s) => s.mode & 0o7777, () => undefined);
  // A file nobody may write (chmod a-w) is someone's way of saying "keep": a rename would replace it anyway,
  // even for root, so it is refused here as writing into it would be.
  if (previousMode !== undefined && (previousMode & 0o222) === 0) {
    throw Object.assign(new Error(`EACCES: ${basename(target)} is read-only`), { code: 'EACCES', path: target });
  }
  inFlight.add(temp);
  let written: Stats;
  try {
    // 'wx': the temp name is fresh, and a file (or symlink) planted there is never followed or overwritten.
    const handle = await fs.open(temp, 'wx', 0o666);
    try {
      // Best effort: some filesystems (SMB, FAT) refuse chmod, and a save matters more than its mode bits.
      if (previousMode !== undefined) await handle.chmod(previousMode).catch(() => undefined);
      await fill(handle);
      await handle.sync();
      written = await handle.stat();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      await publishExclusive(fs, temp, target);
    } else {
      await fs.rename(temp, target);
    }
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  } finally {
    inFlight.delete(temp);
  }
  await syncFolder(folder, fs);
  await removeStaleTempFiles(target, fs);
  return written;
}

/**
 * Moves the finished temp file to `target` unless something is there (`EEXIST`). link() refuses an existing
 * target, unlike rename(), so two creators can't both win; where hard links don't exist (some network and FAT
 * filesystems) the name is reserved with an exclusive create and the content renamed over it.
 */
async function publishExclusive(fs: WriteFileSystem, temp: string, target: string): Promise<void> {
  try {
    await fs.link(temp, target);
  } catch (error) {
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(errorCode(error) ?? '')) throw error;
    await (await fs.open(target, 'wx')).close();
    await fs.rename(temp, target);
    return;
  }
  await fs.unlink(temp);
}

/** Makes a rename or unlink in `folder` durable. Some filesystems can't fsync a folder: nothing more to do there. */
export async function syncFolder(folder: string, fs: WriteFileSystem = nodeFileSystem): Promise<void> {
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } catch (error) {
    if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/** Removes temp files of `target` left by writers that died (killed mid-write); live writers' files stay. */
export async function removeStaleTempFiles(target: string, fs: WriteFileSystem = nodeFileSystem): Promise<void> {
  const folder = dirname(target);
  const prefix = tempPrefix(target);
  const names: string[] = await fs.readdir(folder).catch(() => []);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const path = join(folder, name);
    const owner = /^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length, -TEMP_SUFFIX.length));
    if (!owner || inFlight.has(path)) continue;
    // This process knows its own writes (`inFlight`); so a file with our pid is a previous run's, e.g. in a
    // container where the server is always pid 1.
    const pid = Number(owner[1]);
    if (pid !== process.pid && isAlive(pid)) continue;
    await fs.unlink(path).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM'; // exists, owned by someone else
  }
}
