/**
 * Which cells the notebook page lays out, in order: the one place that decides it, so the windowed list, its
 * scroll memory and the reveal of the selected cell agree. Every cell but those inside a folded heading's section
 * (folding.ts).
 */
import type { CellDoc } from '../../../server/protocol/notebook.ts';
import { hiddenCells } from './folding.ts';
import type { NotebookStore } from './notebook-store.ts';

/** The cells to lay out, in notebook order (a subset of `doc.cells`, never reordered). */
export function renderedCells(store: NotebookStore): readonly CellDoc[] {
  const cells = store.state.doc?.cells ?? [];
  const hidden = hiddenCells(cells);
  return hidden.size === 0 ? cells : cells.filter((cell) => !hidden.has(cell.id));
}
