/**
 * The start of a workspace file and its size, for the assistant's context by name: the path goes through
 * `Workspace.resolve` first (outside the workspace and `.cellmate/` are refused, links checked), and only a
 * regular file is read (`O_NONBLOCK`: a FIFO planted under the name must not hang the server).
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { BadRequest, NotFound } from '../errors.ts';
import type { Workspace } from './storage.ts';

export async function readFileStart(workspace: Workspace, path: string, maxBytes: number): Promise<{ size: number; bytes: Uint8Array }> {
  const real = await workspace.resolve(path);
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => {
    throw new NotFound(`No file ${path} in the workspace`);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new BadRequest(`${path} is not a file`);
    const buffer = Buffer.alloc(Math.min(maxBytes, info.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { size: info.size, bytes: buffer.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}
