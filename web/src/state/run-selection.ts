/**
 * Which cells a run command takes, as JupyterLab's Run menu has it: "Run above" is every cell above the selected
 * one (not itself), "Run below" the selected cell and every cell after it, "Run all" every cell. Code cells go to
 * the kernel; markdown cells in the range are rendered. Pure, so the ranges are tested without a browser.
 */
import type { CellId } from '../../../server/protocol/ids.ts';
import type { CellDoc } from '../../../server/protocol/notebook.ts';

export type RunScope = 'all' | 'above' | 'below';

export interface RunSelection {
  /** Code cells to execute, in document order. */
  run: CellId[];
  /** Markdown cells to render. */
  render: CellId[];
}

/** The cells `scope` covers; above/below without a selected cell (or with one that is gone) cover nothing. */
export function selectRun(cells: readonly CellDoc[], scope: RunScope, selected: CellId | null): RunSelection {
  const index = selected === null ? -1 : cells.findIndex((cell) => cell.id === selected);
  let range: readonly CellDoc[];
  if (scope === 'all') range = cells;
  else if (index < 0) range = [];
  else range = scope === 'above' ? cells.slice(0, index) : cells.slice(index);
  return {
    run: range.filter((cell) => cell.cell_type === 'code').map((cell) => cell.id),
    render: range.filter((cell) => cell.cell_type === 'markdown').map((cell) => cell.id),
  };
}
