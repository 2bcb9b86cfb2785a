/**
 * The one-click assistant actions on cells: Fix (a cell whose output is an error, from the cell's toolbar or the
 * error itself), Explain (any cell, or its output) and Ask about this (the selected cells become chips of the next
 * prompt). Fix and Explain start their turn at once (the server limits what it may do, see
 * server/agent/one-click.ts); all three open the panel.
 */
import type { CellDoc } from '../../../../server/protocol/notebook.ts';
import type { CellId } from '../../../../server/protocol/ids.ts';
import { agentChips, type ContextChip } from '../../state/agent-chips.ts';
import type { NotebookStore } from '../../state/index.ts';

export function hasErrorOutput(cell: CellDoc): boolean {
  return cell.cell_type === 'code' && cell.outputs.some((output) => output.output_type === 'error');
}

function numberOf(nb: NotebookStore, id: CellId): number {
  return (nb.state.doc?.cells.findIndex((cell) => cell.id === id) ?? -1) + 1;
}

export function fixCell(nb: NotebookStore, id: CellId): void {
  if (nb.command({ type: 'agent_prompt', prompt: `Fix cell ${numberOf(nb, id)}`, mode: 'fix', cell_id: id })) agentChips.requestOpen();
}

export function explainCell(nb: NotebookStore, id: CellId): void {
  if (nb.command({ type: 'agent_prompt', prompt: `Explain cell ${numberOf(nb, id)}`, mode: 'explain', cell_id: id })) agentChips.requestOpen();
}

/**
 * Explain started from a cell's output: the same Explain turn (the server sends the cell with its outputs), the
 * prompt asking about the error or the output rather than the code.
 */
export function explainOutput(nb: NotebookStore, id: CellId): void {
  const cell = nb.state.doc?.cells.find((c) => c.id === id);
  const what = cell && hasErrorOutput(cell) ? 'the error in' : 'the output of';
  if (nb.command({ type: 'agent_prompt', prompt: `Explain ${what} cell ${numberOf(nb, id)}`, mode: 'explain', cell_id: id })) agentChips.requestOpen();
}

/** The selected cells (or this one, when it isn't among several selected) as chips of the next prompt. */
export function askAboutCells(nb: NotebookStore, id: CellId): void {
  const path = nb.state.path;
  const cells = nb.state.doc?.cells ?? [];
  if (!path) return;
  const ids = nb.isMultiSelected(id) ? nb.selectedIds() : [id];
  const chips: ContextChip[] = cells.flatMap((cell, index) =>
    ids.includes(cell.id) ? [{ ref: { kind: 'cell' as const, id: cell.id }, label: `cell ${index + 1}`, detail: (cell.source.split('\n')[0] ?? '').slice(0, 60) }] : [],
  );
  agentChips.add(path, chips);
  agentChips.requestOpen();
}
