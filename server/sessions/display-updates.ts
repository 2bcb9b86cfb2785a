/**
 * A display can live in a cell that ran earlier (`h = display(x, display_id=True)` in one cell, `h.update(y)` in
 * another): the kernel's `update_display_data` then changes that earlier cell's outputs. The running cell's own
 * outputs are its `OutputArea`'s business and are left alone here.
 */
import type { CellId, NotebookDoc, Output } from '../protocol/index.ts';
import { applyDisplayUpdate } from '../kernels/outputs.ts';
import type { DisplayUpdate } from '../kernels/types.ts';

export interface DisplayUpdateOptions {
  /** A cell's outputs not yet in the document (updates waiting to be sent), else undefined. */
  pending(id: CellId): Output[] | undefined;
  /** Cells to leave alone (the ones running: their output area handles the update). */
  skip(id: CellId): boolean;
}

/**
 * The cells whose outputs change, with their new outputs.
 *
 * @example
 *   for (const { id, outputs } of displayUpdateTargets(doc, update, { pending: () => undefined, skip: () => false }))
 *     edits.push({ type: 'set_outputs', id, outputs });
 */
export function displayUpdateTargets(
  doc: NotebookDoc,
  update: DisplayUpdate,
  options: DisplayUpdateOptions,
): { id: CellId; outputs: Output[] }[] {
  const targets: { id: CellId; outputs: Output[] }[] = [];
  for (const cell of doc.cells) {
    if (cell.cell_type !== 'code' || options.skip(cell.id)) continue;
    const outputs = options.pending(cell.id) ?? cell.outputs;
    const next = applyDisplayUpdate(outputs, update.displayId, update.data, update.metadata);
    if (next !== outputs) targets.push({ id: cell.id, outputs: next });
  }
  return targets;
}
