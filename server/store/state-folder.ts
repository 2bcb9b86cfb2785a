/**
 * `.cellmate/` in the workspace: Cellmate's own state (the assistant's endpoint and model, later its rules).
 * Whatever is there steers code that runs outside the sandbox, so it is out of everyone else's reach: sandboxed
 * kernels see it as an empty read-only folder (`kernels/cellmate_kernels/sandbox.py`), and the files and notebooks
 * APIs refuse every path in it (`normalizeRelativePath`).
 */
import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export const STATE_FOLDER = '.cellmate';

/** Whether a normalized workspace path is the state folder or lies in it. */
export function isStatePath(rel: string): boolean {
  // Case-blind: on macOS and Windows `.Cellmate` is the same folder.
  const first = rel.split(/[/\\]/, 1)[0] ?? '';
  return first.toLowerCase() === STATE_FOLDER;
}

/**
 * Makes `<workspace>/.cellmate` (private to this user) before any kernel starts, so that no kernel gets to create
 * it; a link or a file in its place stops the start with the reason. Returns the folder's path.
 */
export async function ensureStateFolder(workspace: string): Promise<string> {
  const folder = join(workspace, STATE_FOLDER);
  await mkdir(folder, { mode: 0o700 }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  const info = await lstat(folder);
  if (!info.isDirectory()) {
    throw new Error(`${folder} must be a folder (Cellmate keeps its settings there), not a ${info.isSymbolicLink() ? 'link' : 'file'}`);
  }
  return folder;
}
