/**
 * Commands on the selected cells (one, or a range: see cell-selection.ts), as JupyterLab's command mode has
 * them: extend the selection, run, delete, move, change type, copy, cut, paste, merge, and split at the
 * cursor. A command made of several edits goes out as one group, so one Z (Ctrl+Z) takes it back whole.
 */
import type { NotebookEdit } from '../../../server/protocol/edits.ts';
import type { CellId } from '../../../server/protocol/ids.ts';
import type { CellType } from '../../../server/protocol/notebook.ts';
import { cellClipboard } from './cell-clipboard.ts';
import { stepHead } from './cell-selection.ts';
import { planMerge, planMoveBlock, planPaste, planSplit } from './cell-transforms.ts';
import type { UiEditSource } from './edit-sync.ts';
import { cellIndex, insertCell, type RunThen } from './notebook-commands.ts';
import type { NotebookStore } from './notebook-store.ts';

const cellsOf = (store: NotebookStore) => store.state.doc?.cells ?? [];

/** Sends `edits` as one undo step: a lone edit as it is, several as a group. */
function sendStep(store: NotebookStore, edits: NotebookEdit[], source: UiEditSource): boolean {
  if (edits.length === 0) return false;
  return edits.length === 1 ? store.edit(edits[0]!, source) : store.editGroup(edits, source);
}

/** Shift+↑/↓ (Shift+K/J): the active cell moves, the selection's anchor stays. */
export function extendSelection(store: NotebookStore, delta: -1 | 1): void {
  const { anchor, selected } = store.state.ui;
  const head = stepHead(cellsOf(store), selected, delta);
  if (head !== null) store.selectRange(anchor ?? selected ?? head, head);
}

/** Shift+click: selects from the selection's anchor (or the active cell) to `id`. */
export function selectTo(store: NotebookStore, id: CellId): void {
  const { anchor, selected } = store.state.ui;
  store.selectRange(anchor ?? selected ?? id, id);
}

/** Ctrl+A in command mode: every cell, the active one staying active. */
export function selectAll(store: NotebookStore): void {
  const cells = cellsOf(store);
  const { selected } = store.state.ui;
  if (cells.length === 0) return;
  const first = cells[0]!.id;
  const last = cells[cells.length - 1]!.id;
  store.selectRange(selected === first ? last : first, selected ?? last);
}

/**
 * Runs every selected cell (code to the kernel in one request, markdown rendered), then, as `then` says, stays,
 * goes to the cell after the selection, or inserts a code cell there.
 */
export function runSelected(store: NotebookStore, then: RunThen, source: UiEditSource = 'ui'): void {
  const ids = store.selectedIds();
  if (ids.length === 0) return;
  const cells = cellsOf(store);
  const wanted = new Set(ids);
  const chosen = cells.filter((cell) => wanted.has(cell.id));
  for (const cell of chosen) if (cell.cell_type === 'markdown') store.setMarkdownEditing(cell.id, false);
  const code = chosen.filter((cell) => cell.cell_type === 'code').map((cell) => cell.id);
  if (code.length > 0) store.command({ type: 'execute', cell_ids: code });
  if (then === 'stay') return ids.length > 1 ? store.setMode('command') : store.select(ids[0]!, 'command');
  const after = cellIndex(store, ids[ids.length - 1]!) + 1;
  const next = cells[after];
  if (then === 'advance' && next) return store.select(next.id, 'command');
  insertCell(store, 'code', after, source);
}

/** Deletes the selected cells (D,D): one undo step; the cell after them (or before, at the end) becomes active. */
export function deleteSelected(store: NotebookStore, source: UiEditSource = 'ui'): void {
  const ids = store.selectedIds();
  if (ids.length === 0) return;
  const cells = cellsOf(store);
  const first = cellIndex(store, ids[0]!);
  const next = cells[first + ids.length] ?? cells[first - 1];
  if (!sendStep(store, ids.map((id) => ({ type: 'delete_cell', id })), source)) return;
  if (next) store.select(next.id, 'command');
}

/** Moves the selected cells one place up or down together (the buttons, Ctrl+Shift+↑/↓), keeping them selected. */
export function moveSelected(store: NotebookStore, delta: -1 | 1, source: UiEditSource = 'ui'): void {
  const edit = planMoveBlock(cellsOf(store), store.selectedIds(), delta);
  if (edit) store.edit(edit, source);
}

/** Changes the type of every selected cell (M / Y / R): one undo step. */
export function setSelectedType(store: NotebookStore, cellType: CellType, source: UiEditSource = 'ui'): void {
  const wanted = new Set(store.selectedIds());
  const changing = cellsOf(store).filter((cell) => wanted.has(cell.id) && cell.cell_type !== cellType);
  if (!sendStep(store, changing.map((cell) => ({ type: 'set_cell_type', id: cell.id, cell_type: cellType })), source)) return;
  // A cell turned into markdown shows its source until it is run, like a new markdown cell.
  if (cellType === 'markdown') for (const cell of changing) store.setMarkdownEditing(cell.id, true);
}

/** C: the selected cells to the clipboard (this tab, the others, and the system's when allowed). */
export function copySelected(store: NotebookStore): number {
  const wanted = new Set(store.selectedIds());
  const cells = cellsOf(store).filter((cell) => wanted.has(cell.id));
  if (cells.length === 0) return 0;
  if (!cellClipboard.write(cells)) store.notify('Copied for this tab only: the cells are too big to share with other tabs.');
  return cells.length;
}

/** X: copies the selected cells, then deletes them (one undo step). */
export function cutSelected(store: NotebookStore, source: UiEditSource = 'ui'): void {
  if (copySelected(store) > 0) deleteSelected(store, source);
}

/** V (below the selection) / Shift+V (above it): new copies of the clipboard's cells, selected afterwards. */
export function paste(store: NotebookStore, where: 'above' | 'below', source: UiEditSource = 'ui'): void {
  const clipboard = cellClipboard.read();
  if (!clipboard || clipboard.length === 0) return;
  const ids = store.selectedIds();
  const cells = cellsOf(store);
  const index = ids.length === 0 ? cells.length : where === 'above' ? cellIndex(store, ids[0]!) : cellIndex(store, ids[ids.length - 1]!) + 1;
  const plan = planPaste(clipboard, index);
  if (sendStep(store, plan.edits, source)) store.selectRange(plan.ids[0]!, plan.ids[plan.ids.length - 1]!);
}

/** Shift+M: merges the selected cells into the active one, or the active cell with the one below. */
export function mergeSelected(store: NotebookStore, source: UiEditSource = 'ui'): void {
  const active = store.state.ui.selected;
  if (active === null) return;
  const plan = planMerge(cellsOf(store), store.selectedIds(), active);
  if (!plan || !sendStep(store, plan.edits, source)) return;
  store.select(plan.active, 'command');
  // A merged markdown cell shows its source, as JupyterLab leaves it unrendered.
  if (cellsOf(store)[cellIndex(store, plan.active)]?.cell_type === 'markdown') store.setMarkdownEditing(plan.active, true);
}

/** Ctrl+Shift+- in a cell's editor: splits it at the cursor (or around the selection); editing goes on below. */
export function splitCell(store: NotebookStore, id: CellId, from: number, to: number, source: UiEditSource = 'keyboard'): void {
  const plan = planSplit(cellsOf(store), id, from, to);
  if (!plan || !sendStep(store, plan.edits, source)) return;
  // The parts of a markdown cell are being edited, so each shows its source.
  for (const edit of plan.edits) if (edit.type === 'insert_cell' && edit.cell.cell_type === 'markdown') store.setMarkdownEditing(edit.cell.id, true);
  store.select(plan.active, 'edit');
}
