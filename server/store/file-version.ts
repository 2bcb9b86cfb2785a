/**
 * What "the file we last read or wrote" means when checking for changes made by someone else: the inode, size
 * and modification time (cheap to compare) and a hash of the content (what decides). A `touch` or a copy that
 * keeps the content is not a change; an editor that keeps the mtime but changes the bytes is.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { errorCode } from './atomic-write.ts';

export interface FileVersion {
  ino: number;
  size: number;
  /** Whole milliseconds, as `Date` keeps them. */
  mtimeMs: number;
  /** sha256 of the bytes, hex. */
  sha256: string;
}

export function hashText(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `hashText` for large buffers, a few megabytes at a time with a turn of the event loop in between. */
export function hashBytesYielding(bytes: Uint8Array, chunkBytes = 4 * 2 ** 20): Promise<string> {
  return hashPiecesYielding([bytes], chunkBytes);
}

/** `hashBytesYielding` of bytes held in pieces, in order (as `serializeNotebookYielding` gives them). */
export async function hashPiecesYielding(pieces: readonly Uint8Array[], chunkBytes = 4 * 2 ** 20): Promise<string> {
  const hash = createHash('sha256');
  let sinceYield = 0;
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; at += chunkBytes) {
      if (sinceYield >= chunkBytes) {
        await new Promise((resolve) => setImmediate(resolve));
        sinceYield = 0;
      }
      const part = piece.subarray(at, at + chunkBytes);
      hash.update(part);
      sinceYield += part.length;
    }
  }
  return hash.digest('hex');
}

export function versionOf(info: { ino: number; size: number; mtimeMs: number }, sha256: string): FileVersion {
  return { ino: info.ino, size: info.size, mtimeMs: Math.trunc(info.mtimeMs), sha256 };
}

/** Whether the metadata alone says "unchanged" (same inode, size and mtime), so no hashing is needed. */
export function sameMetadata(a: Omit<FileVersion, 'sha256'>, b: Omit<FileVersion, 'sha256'>): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * The version of the file at `real` now, or `null` when there is none. `known` is the version last seen: when the
 * metadata still matches it, its hash is reused instead of reading the file again.
 */
export async function readVersion(real: string, known?: FileVersion | null): Promise<FileVersion | null> {
  const info = await stat(real).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
    throw error;
  });
  if (!info || !info.isFile()) return null;
  const meta = versionOf(info, '');
  if (known && sameMetadata(meta, known)) return known;
  const bytes = await readFile(real).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  });
  if (bytes === null) return null;
  // Stat again after the read would be racy too; the hash is of what was read, and that is what counts.
  return { ...meta, size: bytes.length, sha256: await hashBytesYielding(bytes) };
}
