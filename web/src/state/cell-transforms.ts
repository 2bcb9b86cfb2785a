/**
 * The edits that merge, split, paste and move cells, as JupyterLab does them, computed from the document
 * alone. Each command is sent as one group of edits, so it is one undo step. Pure, so tested without a browser.
 */
import type { NotebookEdit } from '../../../server/protocol/edits.ts';
import { CellId } from '../../../server/protocol/ids.ts';
import type { CellDoc } from '../../../server/protocol/notebook.ts';

/** A command's edits and the cell to make active afterwards. */
export interface CellCommandPlan {
  edits: NotebookEdit[];
  active: CellId;
}

/**
 * Merges `ids` into the active cell: their sources in document order joined by a blank line, as JupyterLab's
 * Shift+M; a code cell's outputs go (they no longer match its code); the others are deleted. A single cell is
 * merged with the one below it. Null when there is nothing to merge.
 */
export function planMerge(cells: readonly CellDoc[], ids: readonly CellId[], active: CellId): CellCommandPlan | null {
  const wanted = new Set<CellId>(ids);
  wanted.add(active);
  if (wanted.size === 1) {
    const below = cells[cells.findIndex((cell) => cell.id === active) + 1];
    if (!below || cells.every((cell) => cell.id !== active)) return null;
    wanted.add(below.id);
  }
  const merged = cells.filter((cell) => wanted.has(cell.id));
  const primary = merged.find((cell) => cell.id === active);
  if (!primary || merged.length < 2) return null;
  const edits: NotebookEdit[] = [{ type: 'set_source', id: active, source: merged.map((cell) => cell.source).join('\n\n') }];
  if (primary.cell_type === 'code' && (primary.outputs.length > 0 || primary.execution_count !== null)) edits.push({ type: 'clear_outputs', ids: [active] });
  for (const cell of merged) if (cell.id !== active) edits.push({ type: 'delete_cell', id: cell.id });
  return { edits, active };
}

/**
 * The parts of `source` cut at the cursor (`from === to`) or around a selection (three parts), with the blank
 * lines at the cut trimmed as JupyterLab does.
 */
export function splitSource(source: string, from: number, to: number): string[] {
  const start = Math.max(0, Math.min(from, to, source.length));
  const end = Math.min(source.length, Math.max(from, to));
  const offsets = start === end ? [0, start, source.length] : [0, start, end, source.length];
  return offsets.slice(0, -1).map((offset, i) => source.slice(offset, offsets[i + 1]).replace(/^\n+/, '').replace(/\n+$/, ''));
}

/**
 * Splits a cell at the cursor or around a selection: the first part stays in the cell (its id, metadata and
 * outputs), the others become new cells of its type below it. The active cell afterwards is the part after
 * the cursor, or the selected part.
 */
export function planSplit(cells: readonly CellDoc[], id: CellId, from: number, to: number, newId: () => CellId = CellId.create): CellCommandPlan | null {
  const index = cells.findIndex((cell) => cell.id === id);
  const cell = cells[index];
  if (!cell) return null;
  const [first, ...rest] = splitSource(cell.source, from, to);
  const parts = rest.map((source) => freshCell(cell, source, newId()));
  const edits: NotebookEdit[] = [{ type: 'set_source', id, source: first ?? '' }];
  parts.forEach((part, i) => edits.push({ type: 'insert_cell', index: index + 1 + i, cell: part }));
  return { edits, active: parts[0]!.id };
}

/** A deep copy of a cell's JSON; unlike `structuredClone` it also copies the store's proxies. */
function copyJson<T>(value: T): T {
  const copy: T = JSON.parse(JSON.stringify(value));
  return copy;
}

/** A new cell of `like`'s type and metadata with `source`, empty outputs. */
function freshCell(like: CellDoc, source: string, id: CellId): CellDoc {
  const base = { id, source, metadata: copyJson(like.metadata) };
  return like.cell_type === 'code' ? { ...base, cell_type: 'code', execution_count: null, outputs: [] } : { ...base, cell_type: like.cell_type };
}

/**
 * Inserts copies of `clipboard` at `index`, each with a new id (the same cells may be pasted many times, also
 * into the notebook they came from); outputs and metadata are kept, as JupyterLab's paste keeps them, except a
 * pending review of the assistant's edit, which belongs to the original cell.
 */
export function planPaste(clipboard: readonly CellDoc[], index: number, newId: () => CellId = CellId.create): { edits: NotebookEdit[]; ids: CellId[] } {
  const copies = clipboard.map((cell) => ({ ...copyJson(cell), id: newId(), metadata: withoutReview(cell.metadata) }));
  return {
    edits: copies.map((cell, i) => ({ type: 'insert_cell' as const, index: index + i, cell })),
    ids: copies.map((cell) => cell.id),
  };
}

function withoutReview(metadata: CellDoc['metadata']): CellDoc['metadata'] {
  const cellmate = metadata['cellmate'];
  if (typeof cellmate !== 'object' || cellmate === null || Array.isArray(cellmate) || !('review' in cellmate)) return copyJson(metadata);
  const { review: _review, ...rest } = cellmate;
  return { ...copyJson(metadata), cellmate: copyJson(rest) };
}

/**
 * Moves the block of `ids` (contiguous, in document order) one place up or down: the neighbour it passes
 * moves to the other side, one edit whatever the block's size. Null at the notebook's edge.
 */
export function planMoveBlock(cells: readonly CellDoc[], ids: readonly CellId[], delta: -1 | 1): NotebookEdit | null {
  const wanted = new Set<CellId>(ids);
  const first = cells.findIndex((cell) => wanted.has(cell.id));
  if (first < 0) return null;
  const last = first + ids.length - 1;
  const neighbour = cells[delta < 0 ? first - 1 : last + 1];
  if (!neighbour) return null;
  return { type: 'move_cell', id: neighbour.id, index: delta < 0 ? last : first };
}
