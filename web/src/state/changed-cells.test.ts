import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../../server/protocol/edits.ts';
import { CellId } from '../../../server/protocol/ids.ts';
import { createCell, type NotebookDoc } from '../../../server/protocol/notebook.ts';
import { changedCellIndexes } from './changed-cells.ts';

const doc: NotebookDoc = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: ['a = 1', 'b = 2', 'c = 3'].map((source) => createCell('code', source, CellId.create())),
};
const id = (index: number) => doc.cells[index]!.id;

describe('changedCellIndexes', () => {
  it('finds the cells an edit replaced', () => {
    expect(changedCellIndexes(doc, applyEdit(doc, { type: 'set_outputs', id: id(1), outputs: [{ output_type: 'stream', name: 'stdout', text: '2\n' }] }))).toEqual([1]);
    expect(changedCellIndexes(doc, applyEdit(doc, { type: 'set_source', id: id(2), source: 'c = 4' }))).toEqual([2]);
    expect(changedCellIndexes(doc, applyEdit(doc, { type: 'clear_outputs', ids: [id(0)] }))).toEqual([]);
  });

  it('gives up (null) when cells come, go or move, or the notebook’s own fields change', () => {
    expect(changedCellIndexes(doc, applyEdit(doc, { type: 'insert_cell', index: 1, cell: createCell('code', '', CellId.create()) }))).toBeNull();
    expect(changedCellIndexes(doc, applyEdit(doc, { type: 'delete_cell', id: id(0) }))).toBeNull();
    expect(changedCellIndexes(doc, applyEdit(doc, { type: 'move_cell', id: id(0), index: 2 }))).toBeNull();
    expect(changedCellIndexes(doc, applyEdit(doc, { type: 'set_notebook_metadata', metadata: { x: 1 } }))).toBeNull();
  });
});
