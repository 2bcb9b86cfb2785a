/**
 * Heading folds, as JupyterLab's collapsible headings: a markdown cell that starts with a heading can fold its
 * section, every following cell up to the next cell with a heading of the same or a higher level (`#` is higher
 * than `##`). The fold is kept where JupyterLab keeps it, `metadata.heading_collapsed: true` on the heading's
 * cell, so it is saved with the notebook, shared by every tab, and opens folded in JupyterLab too.
 *
 * A cell's level is that of its highest heading (a cell with `## a` and `# b` ends a `#` section); a folded
 * section inside a folded section is simply hidden with it.
 */
import type { CellId } from '../../../server/protocol/ids.ts';
import type { CellDoc, JSONObject } from '../../../server/protocol/notebook.ts';
import { markdownHeadings, type HeadingLevel } from './headings.ts';

export const COLLAPSED_KEY = 'heading_collapsed';

/** The level of the cell's highest heading, or null for cells without one (code and raw cells included). */
export function sectionLevel(cell: CellDoc): HeadingLevel | null {
  if (cell.cell_type !== 'markdown') return null;
  const headings = markdownHeadings(cell.source);
  if (headings.length === 0) return null;
  return headings.reduce<HeadingLevel>((level, heading) => (heading.level < level ? heading.level : level), 6);
}

/** Whether the cell can fold its section: a markdown cell whose first line (after blank ones) is a heading. */
export function isFoldable(cell: CellDoc): boolean {
  if (cell.cell_type !== 'markdown') return false;
  const first = cell.source.replace(/^\s*\n/, '').split('\n', 2);
  const line = first[0] ?? '';
  // ATX (`## x`, up to three spaces of indent), or setext (a text line underlined with = or -).
  if (/^ {0,3}#{1,6}(\s|$)/.test(line)) return sectionLevel(cell) !== null;
  return /^ {0,3}(=+|-+)\s*$/.test(first[1] ?? '') && line.trim() !== '' && sectionLevel(cell) !== null;
}

/** Whether the cell's section is folded (and it can fold). */
export function isFolded(cell: CellDoc): boolean {
  return cell.metadata[COLLAPSED_KEY] === true && isFoldable(cell);
}

/** The cell's metadata with its fold set as JupyterLab sets it (the key removed when unfolded). */
export function foldedMetadata(metadata: JSONObject, folded: boolean): JSONObject {
  const { [COLLAPSED_KEY]: _previous, ...rest } = metadata;
  return folded ? { ...rest, [COLLAPSED_KEY]: true } : rest;
}

/** Every cell inside a folded section: the cells the page doesn't lay out. */
export function hiddenCells(cells: readonly CellDoc[]): Set<CellId> {
  const hidden = new Set<CellId>();
  let foldLevel: number | null = null;
  for (const cell of cells) {
    const level = sectionLevel(cell);
    if (foldLevel !== null) {
      if (level === null || level > foldLevel) {
        hidden.add(cell.id);
        continue;
      }
      foldLevel = null;
    }
    if (isFolded(cell)) foldLevel = level;
  }
  return hidden;
}

/** How many cells the section of the heading at `index` holds (what folding it hides). */
export function sectionSize(cells: readonly CellDoc[], index: number): number {
  const heading = cells[index];
  const level = heading ? sectionLevel(heading) : null;
  if (level === null) return 0;
  let end = index + 1;
  while (end < cells.length) {
    const cell = cells[end];
    const next = cell ? sectionLevel(cell) : null;
    if (next !== null && next <= level) break;
    end++;
  }
  return end - index - 1;
}

/**
 * The folded headings that hide cell `id`, outermost first: unfolding them all shows it. Empty when the cell is
 * not hidden (or not in the notebook).
 */
export function foldsHiding(cells: readonly CellDoc[], id: CellId): CellId[] {
  const open: { id: CellId; level: number }[] = [];
  for (const cell of cells) {
    const level = sectionLevel(cell);
    if (level !== null) while (open.length > 0 && (open[open.length - 1]?.level ?? 0) >= level) open.pop();
    if (cell.id === id) return open.map((fold) => fold.id);
    if (level !== null && isFolded(cell)) open.push({ id: cell.id, level });
  }
  return [];
}

/** The cells not inside a folded section, in order: where the selection moves with the keys. */
export function visibleCells(cells: readonly CellDoc[]): readonly CellDoc[] {
  // Only markdown cells fold: the others' metadata is not read (in a store, each read subscribes the reader).
  if (!cells.some((cell) => cell.cell_type === 'markdown' && cell.metadata[COLLAPSED_KEY] === true)) return cells;
  const hidden = hiddenCells(cells);
  return hidden.size === 0 ? cells : cells.filter((cell) => !hidden.has(cell.id));
}
