/**
 * Folding and unfolding heading sections (the rules are in folding.ts). A fold is an edit of the heading cell's
 * metadata, so every tab and the saved file follow it. Selecting a cell inside a folded section (keys, find, a
 * table of contents entry, the assistant adding a cell there) opens the folds that hide it.
 */
import { createEffect } from 'solid-js';
import type { CellId } from '../../../server/protocol/ids.ts';
import type { UiEditSource } from './edit-sync.ts';
import { foldedMetadata, foldsHiding, isFolded } from './folding.ts';
import type { NotebookStore } from './notebook-store.ts';

export function setFolded(store: NotebookStore, id: CellId, folded: boolean, source: UiEditSource = 'ui'): void {
  const cell = store.state.doc?.cells.find((candidate) => candidate.id === id);
  if (!cell || isFolded(cell) === folded) return;
  store.edit({ type: 'set_cell_metadata', id, metadata: foldedMetadata(cell.metadata, folded) }, source);
}

export function toggleFold(store: NotebookStore, id: CellId, source: UiEditSource = 'ui'): void {
  const cell = store.state.doc?.cells.find((candidate) => candidate.id === id);
  if (cell) setFolded(store, id, !isFolded(cell), source);
}

/** Opens every fold hiding cell `id`; whether there were any. */
export function unfoldTo(store: NotebookStore, id: CellId, source: UiEditSource = 'ui'): boolean {
  const folds = foldsHiding(store.state.doc?.cells ?? [], id);
  for (const fold of folds) setFolded(store, fold, false, source);
  return folds.length > 0;
}

/**
 * Opens the folds around each newly selected cell, for as long as the calling component lives. Once per
 * selection: a section folded later (here with the cell selected, or in another tab) stays folded.
 */
export function unfoldSelectedCell(store: NotebookStore): void {
  let shown: CellId | null = null;
  createEffect(() => {
    const selected = store.state.ui.selected;
    if (selected === null || selected === shown) return;
    // Reading the cells too covers a cell selected before its insert arrives (the assistant adding one).
    const cells = store.state.doc?.cells ?? [];
    if (!cells.some((cell) => cell.id === selected)) return;
    shown = selected;
    if (cells.some((cell) => cell.metadata['heading_collapsed'] === true)) unfoldTo(store, selected);
  });
}
