/**
 * A disk that fails on demand, at the storage layer: Node's own file system with the calls of an atomic write
 * wrapped, so a test can make the next writes fail the way a full disk (`ENOSPC`: some bytes written, then the
 * error), a used-up quota (`EDQUOT`), a read-only mount (`EROFS`) or a folder without write permission
 * (`EACCES`) does — through the whole server, with nothing above the disk replaced.
 *
 * @example
 *   const disk = new FaultyDisk();
 *   const cm = await startTestCellmate({}, { fileSystem: disk.fs });
 *   disk.fail('ENOSPC');  // saves fail from now on
 *   disk.heal();          // and work again
 */
import * as nodeFs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { WriteFileSystem } from '../../server/store/atomic-write.ts';

export type DiskFault = 'ENOSPC' | 'EDQUOT' | 'EROFS' | 'EACCES';

function errno(code: DiskFault, syscall: string, path: string): NodeJS.ErrnoException {
  const messages: Record<DiskFault, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
    EACCES: 'permission denied',
  };
  return Object.assign(new Error(`${code}: ${messages[code]}, ${syscall} '${path}'`), { code, syscall, path });
}

export class FaultyDisk {
  #fault: DiskFault | null = null;
  /** Writes refused since the last `fail()`. */
  failedWrites = 0;
  /** Writes that went through. */
  writes = 0;

  /** From now on every write fails with `code`. */
  fail(code: DiskFault): void {
    this.#fault = code;
    this.failedWrites = 0;
  }

  /** Writes work again. */
  heal(): void {
    this.#fault = null;
  }

  readonly fs: WriteFileSystem = {
    ...nodeFs,
    open: async (...args: Parameters<typeof nodeFs.open>) => {
      const [path, flags] = args;
      const fault = this.#fault;
      const isCreate = typeof flags === 'string' && flags.includes('w');
      // A read-only mount or folder refuses the new file itself.
      if (fault && isCreate && (fault === 'EROFS' || fault === 'EACCES')) {
        this.failedWrites++;
        throw errno(fault, 'open', String(path));
      }
      const handle = await nodeFs.open(...args);
      if (!isCreate) return handle;
      return fault ? this.#filling(handle, fault, String(path)) : this.#counted(handle);
    },
  };

  /** A full disk or quota: half the bytes land in the temp file, then the write fails. */
  #filling(handle: FileHandle, fault: DiskFault, path: string): FileHandle {
    const write = handle.writeFile.bind(handle);
    handle.writeFile = async (data) => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      if (bytes instanceof Uint8Array) await write(bytes.subarray(0, Math.floor(bytes.byteLength / 2)));
      this.failedWrites++;
      throw errno(fault, 'write', path);
    };
    return handle;
  }

  #counted(handle: FileHandle): FileHandle {
    const write = handle.writeFile.bind(handle);
    handle.writeFile = async (...args) => {
      await write(...args);
      this.writes++;
    };
    return handle;
  }
}
