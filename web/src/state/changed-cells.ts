/**
 * What an edit changed in the document, so the store can write just that. Reconciling the whole document into the
 * store (Solid's `reconcile`) walks every cell and output, which on a 2,000-cell notebook costs about 10 ms a
 * message: under "Run all" (several messages a cell) the page stopped answering for seconds. Edits share the
 * cells they don't touch (`applyEdit` copies only the changed one), so comparing cell objects finds the changes.
 */
import type { NotebookDoc } from '../../../server/protocol/notebook.ts';

/**
 * The indexes of the cells `next` replaced, when nothing else changed (same cells in the same order, same
 * notebook fields); `null` when the document changed otherwise (cells inserted, deleted or moved, metadata).
 */
export function changedCellIndexes(current: NotebookDoc, next: NotebookDoc): number[] | null {
  if (current.cells.length !== next.cells.length) return null;
  const keys = new Set([...Object.keys(current), ...Object.keys(next)]);
  for (const key of keys) {
    if (key !== 'cells' && Reflect.get(current, key) !== Reflect.get(next, key)) return null;
  }
  const changed: number[] = [];
  for (let index = 0; index < next.cells.length; index++) {
    const [before, after] = [current.cells[index]!, next.cells[index]!];
    if (before === after) continue;
    if (before.id !== after.id) return null;
    changed.push(index);
  }
  return changed;
}
