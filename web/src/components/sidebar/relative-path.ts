/** Workspace paths as a notebook's code sees them: relative to the notebook's folder, its kernel's cwd. */

/** The folder a workspace path is in (`''` for the top folder). */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * `to` (a workspace path) as seen from the folder `from`.
 *
 * @example
 *   relativePath('notebooks/2024', 'data/x.csv') // '../../data/x.csv'
 *   relativePath('data', 'data/raw/x.csv') // 'raw/x.csv'
 */
export function relativePath(from: string, to: string): string {
  const fromParts = from === '' ? [] : from.split('/');
  const toParts = to.split('/');
  let shared = 0;
  while (shared < fromParts.length && shared < toParts.length - 1 && fromParts[shared] === toParts[shared]) shared++;
  return [...fromParts.slice(shared).map(() => '..'), ...toParts.slice(shared)].join('/');
}

/**
 * A path as a Python string literal: single quotes unless the path has one, escaping what needs it.
 *
 * @example
 *   pythonString('../data/x.csv') // "'../data/x.csv'"
 */
export function pythonString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n');
  return `${quote}${escaped}${quote}`;
}
