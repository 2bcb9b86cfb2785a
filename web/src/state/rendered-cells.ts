/**
 * Which cells the notebook page lays out, in order: the one place that decides it, so the windowed list, its
 * scroll memory and the reveal of the selected cell agree. Every cell but those inside a folded heading's section
 * (folding.ts).
 */
import type { CellDoc } from '../../../server/protocol/notebook.ts';
import { visibleCells } from './folding.ts';
import type { NotebookStore } from './notebook-store.ts';

/** The cells to lay out, in notebook order (a subset of `doc.cells`, never reordered). */
export function renderedCells(store: NotebookStore): readonly CellDoc[] {
  // The notebook itself when nothing is folded (most notebooks): no heading is parsed for it.
  return visibleCells(store.state.doc?.cells ?? []);
}
