/**
 * Cell operations as commands: the same function runs whether the user pressed a key or clicked a button; the
 * `source` each carries ends up on the edit for provenance.
 */
import type { CellId } from '../../../server/protocol/ids.ts';
import { createCell, type CellType } from '../../../server/protocol/notebook.ts';
import type { UiEditSource } from './edit-sync.ts';
import { visibleCells } from './folding.ts';
import type { NotebookStore } from './notebook-store.ts';
import { runScope } from './run-commands.ts';

/** After running: stay on the cell (Ctrl/Cmd+Enter), go to the next (Shift+Enter), or insert one below (Alt+Enter). */
export type RunThen = 'stay' | 'advance' | 'insert';

export function cellIndex(store: NotebookStore, id: CellId | null): number {
  if (id === null) return -1;
  return store.state.doc?.cells.findIndex((cell) => cell.id === id) ?? -1;
}

/** Inserts an empty cell at `index`, selects it and puts it in edit mode; returns its id. */
export function insertCell(store: NotebookStore, type: CellType, index: number, source: UiEditSource = 'ui'): CellId | null {
  const cell = createCell(type);
  if (!store.edit({ type: 'insert_cell', index, cell }, source)) return null;
  if (type === 'markdown') store.setMarkdownEditing(cell.id, true);
  store.select(cell.id, 'edit');
  return cell.id;
}

/** Where "Add … cell" puts a cell: below the selected one, or at the end. */
export function insertionIndex(store: NotebookStore): number {
  const count = store.state.doc?.cells.length ?? 0;
  const selected = cellIndex(store, store.state.ui.selected);
  return selected >= 0 ? selected + 1 : count;
}

/**
 * Runs a cell as JupyterLab does: code goes to the kernel, markdown is rendered, raw is left alone; then the
 * selection moves as `then` says (Shift+Enter on the last cell adds a code cell, as in JupyterLab).
 */
export function runCell(store: NotebookStore, id: CellId, then: RunThen, source: UiEditSource = 'ui'): void {
  const cells = store.state.doc?.cells ?? [];
  const index = cellIndex(store, id);
  const cell = cells[index];
  if (!cell) return;
  if (cell.cell_type === 'code') store.command({ type: 'execute', cell_ids: [id] });
  if (cell.cell_type === 'markdown') store.setMarkdownEditing(id, false);
  if (then === 'stay') return store.select(id, 'command');
  // The next cell shown: a folded heading's section is stepped over, as in JupyterLab.
  const shown = visibleCells(cells);
  const at = shown.indexOf(cell);
  const next = (at >= 0 ? shown[at + 1] : undefined) ?? cells[index + 1];
  if (then === 'advance' && next) return store.select(next.id, 'command');
  insertCell(store, 'code', index + 1, source);
}

/** Renders every markdown cell and runs every code cell in order. */
export function runAll(store: NotebookStore): void {
  runScope(store, 'all');
}

export function deleteCell(store: NotebookStore, id: CellId, source: UiEditSource = 'ui'): void {
  store.edit({ type: 'delete_cell', id }, source);
}

export function moveCell(store: NotebookStore, id: CellId, delta: -1 | 1, source: UiEditSource = 'ui'): void {
  const index = cellIndex(store, id);
  const count = store.state.doc?.cells.length ?? 0;
  const target = index + delta;
  if (index < 0 || target < 0 || target >= count) return;
  store.edit({ type: 'move_cell', id, index: target }, source);
}

export function setCellType(store: NotebookStore, id: CellId, cellType: CellType, source: UiEditSource = 'ui'): void {
  const cell = store.state.doc?.cells[cellIndex(store, id)];
  if (!cell || cell.cell_type === cellType) return;
  if (!store.edit({ type: 'set_cell_type', id, cell_type: cellType }, source)) return;
  // A cell turned into markdown shows its source until it is run, like a new markdown cell.
  if (cellType === 'markdown') store.setMarkdownEditing(id, true);
}

/** Moves the selection up or down, staying in command mode. */
/** ↑/↓ in command mode: to the cell above or below among those shown (a folded section is stepped over). */
export function selectRelative(store: NotebookStore, delta: -1 | 1): void {
  const cells = visibleCells(store.state.doc?.cells ?? []);
  if (cells.length === 0) return;
  const index = cells.findIndex((cell) => cell.id === store.state.ui.selected);
  const target = index < 0 ? (delta > 0 ? 0 : cells.length - 1) : Math.min(cells.length - 1, Math.max(0, index + delta));
  store.select(cells[target]!.id, 'command');
}

/** Enters the editor of a cell (a rendered markdown cell turns back into its source). */
export function editCell(store: NotebookStore, id: CellId): void {
  const cell = store.state.doc?.cells[cellIndex(store, id)];
  if (!cell) return;
  if (cell.cell_type === 'markdown') store.setMarkdownEditing(id, true);
  store.select(id, 'edit');
}
