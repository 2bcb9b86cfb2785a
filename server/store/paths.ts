/**
 * Lexical rules for workspace paths: what a client may name, before anything touches the disk. The filesystem
 * half of the check (symlinks) is `Workspace.resolve`.
 */
import { isAbsolute, relative, sep } from 'node:path';
import { BadRequest, CellmateError, PathOutsideWorkspace } from '../errors.ts';
import { isStatePath, STATE_FOLDER } from './state-folder.ts';

/** How many times a name is percent-decoded when looking for a hidden traversal (`%252e%252e` → `..`). */
const DECODE_ROUNDS = 3;
/** What Linux file systems take for one name (NAME_MAX), in bytes of UTF-8. */
export const MAX_NAME_BYTES = 255;
/** C0 control characters and DEL: a newline or an escape in a name breaks listings, logs and terminals. */
const CONTROL_CHARACTER = /[\u0001-\u001f\u007f]/;

/**
 * A client's path as the canonical workspace-relative form (`a/b.ipynb`; `''` is the root), or
 * `PathOutsideWorkspace`. Refused: absolute paths, `..` segments (even ones that would stay inside: a path means
 * one place), NUL bytes, backslashes (a traversal on Windows-minded tools, and never needed in a notebook
 * name), and names that turn into a traversal if some layer decodes them again (`%2e%2e`, `..%2f`). The route
 * decodes a URL once; anything still encoded after that is suspicious, not a file name to honour. Names with a
 * control character or of more than 255 bytes are a `BadRequest` saying so, whatever the API (notebooks, files).
 *
 * @example
 *   normalizeRelativePath('./a//b.ipynb') // 'a/b.ipynb'
 *   normalizeRelativePath('../x.ipynb')   // throws PathOutsideWorkspace
 */
export function normalizeRelativePath(path: string): string {
  if (typeof path !== 'string' || path.includes('\0') || path.includes('\\') || path.startsWith('/')) {
    throw new PathOutsideWorkspace(String(path));
  }
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..' || decodesToTraversal(segment))) throw new PathOutsideWorkspace(path);
  for (const segment of segments) checkName(segment);
  const rel = segments.join('/');
  if (isStatePath(rel)) throw new CellmateError(`${STATE_FOLDER}/ is Cellmate's own folder: it can't be read or changed here`, 403);
  return rel;
}

/** A `BadRequest` naming what is wrong with one name of a path. */
function checkName(name: string): void {
  const control = CONTROL_CHARACTER.exec(name);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new BadRequest(`Names can't contain control characters: ${JSON.stringify(name)} has U+${code}`);
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) {
    const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
    throw new BadRequest(`Name too long: ${JSON.stringify(shown)} is ${bytes} bytes; a file or folder name may have at most ${MAX_NAME_BYTES}`);
  }
}

function decodesToTraversal(segment: string): boolean {
  let current = segment;
  for (let round = 0; round < DECODE_ROUNDS && current.includes('%'); round++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return false; // not valid percent-encoding: it can't decode to anything, so it is just a name
    }
    if (current === '.' || current === '..' || /[/\\\0]/.test(current)) return true;
  }
  return false;
}

/** Whether `candidate` is `root` or below it. `/ws-other` is not inside `/ws`, and `/ws/..x` is. */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
