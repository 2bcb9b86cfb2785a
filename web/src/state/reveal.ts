/**
 * Bringing a cell into view. The page renders only the cells near the viewport (components/cell-list/), so a
 * cell far away is not in the DOM until it is revealed. The contract the page keeps:
 *
 * - whenever `state.ui.selected` changes, the list renders that cell (it stays rendered while selected, so an
 *   editor in edit mode is never unmounted) and scrolls it into view if it is out of sight; nothing else to call;
 * - `revealCell(store, id)` does the same without selecting (a match of find, a heading of a table of contents)
 *   and resolves with the cell's element once it is in the DOM and scrolled to, or `null` when the cell is not
 *   laid out (deleted, or hidden in a folded section).
 *
 * @example
 * const element = await revealCell(nb, match.cellId);
 * element?.querySelector('.cm-content')?.focus();
 */
import type { CellId } from '../../../server/protocol/ids.ts';
import type { NotebookStore } from './notebook-store.ts';

export type RevealHandler = (id: CellId) => Promise<HTMLElement | null>;

const handlers = new WeakMap<NotebookStore, RevealHandler>();

/** Scrolls cell `id` into view (rendering it first); see the module's comment. */
export function revealCell(store: NotebookStore, id: CellId): Promise<HTMLElement | null> {
  const handler = handlers.get(store);
  return handler ? handler(id) : Promise.resolve(null);
}

/** Called by the list that renders the store's cells; returns the function that unregisters it. */
export function provideReveal(store: NotebookStore, handler: RevealHandler): () => void {
  handlers.set(store, handler);
  return () => {
    if (handlers.get(store) === handler) handlers.delete(store);
  };
}
