/**
 * Several cells selected at once (Shift+↑/↓, Shift+J/K, Shift+click), as JupyterLab has it: the selection runs
 * from an anchor (where it started) to the head (the active cell, `ui.selected`), in document order. It is
 * resolved from the document alone, never from what is on screen, since only the cells near the viewport may
 * be rendered. Pure, so it is tested without a browser.
 */
import type { CellId } from '../../../server/protocol/ids.ts';

interface HasId {
  id: CellId;
}

/**
 * The ids from `anchor` to `head` in document order. Just the head when there is no anchor or it is gone;
 * empty when the head is gone.
 */
export function selectionRange(cells: readonly HasId[], anchor: CellId | null, head: CellId | null): CellId[] {
  if (head === null) return [];
  if (anchor === null || anchor === head) return cells.some((cell) => cell.id === head) ? [head] : [];
  let from = -1;
  let to = -1;
  cells.forEach((cell, index) => {
    if (cell.id === anchor) from = index;
    if (cell.id === head) to = index;
  });
  if (to < 0) return [];
  if (from < 0) return [head];
  const [start, end] = from <= to ? [from, to] : [to, from];
  return cells.slice(start, end + 1).map((cell) => cell.id);
}

/** The head one cell up or down from `head`, clamped to the notebook; the first or last cell with no head. */
export function stepHead(cells: readonly HasId[], head: CellId | null, delta: -1 | 1): CellId | null {
  if (cells.length === 0) return null;
  const index = head === null ? -1 : cells.findIndex((cell) => cell.id === head);
  if (index < 0) return cells[delta > 0 ? 0 : cells.length - 1]!.id;
  return cells[Math.min(cells.length - 1, Math.max(0, index + delta))]!.id;
}
