import { describe, expect, it } from 'vitest';
import { applyEdits, CellId, createCell, notebookToText, type CellDoc, type CodeCellDoc, type NotebookDoc, type NotebookEdit } from '../protocol/index.ts';
import { TurnRecord, UndoHistory } from './agent-undo.ts';

const code = (id: string, source: string, extra: Partial<CodeCellDoc> = {}): CodeCellDoc => ({
  id: CellId.from(id),
  cell_type: 'code',
  source,
  metadata: {},
  execution_count: null,
  outputs: [],
  ...extra,
});

function notebook(cells: CellDoc[]): NotebookDoc {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

/** Applies edits as the recording notebook does: apply, then note. */
function step(doc: NotebookDoc, record: TurnRecord, edits: NotebookEdit[]): NotebookDoc {
  const next = applyEdits(doc, edits);
  record.note(doc, edits);
  return next;
}

describe('undo of an agent turn', () => {
  const start = notebook([
    code('a', 'x = 1', { execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }] }),
    createCell('markdown', '# Notes', CellId.from('b')),
    code('c', 'print(x)', { metadata: { tags: ['mine'] } }),
  ]);

  it('removes added cells, restores edited ones and re-inserts deleted ones, exactly', () => {
    const record = new TurnRecord('t1', start);
    let doc = step(start, record, [{ type: 'insert_cell', index: 1, cell: code('new', 'y = 2') }]);
    doc = step(doc, record, [
      { type: 'set_source', id: CellId.from('a'), source: 'x = 10' },
      { type: 'set_cell_metadata', id: CellId.from('a'), metadata: { cellmate: { review: { previous_source: 'x = 1', turn: 't1' } } } },
    ]);
    // The kernel's outputs of the agent's run of `a` (they come as other edits; the record holds `a` already).
    doc = applyEdits(doc, [{ type: 'set_outputs', id: CellId.from('a'), outputs: [] }, { type: 'set_execution_count', id: CellId.from('a'), execution_count: 2 }]);
    doc = step(doc, record, [{ type: 'delete_cell', id: CellId.from('b') }]);
    doc = step(doc, record, [{ type: 'set_source', id: CellId.from('c'), source: 'print(x * 2)' }, { type: 'delete_cell', id: CellId.from('c') }]);
    expect(notebookToText(doc)).toBe('[code 2] x = 10\n[code  ] y = 2');

    const undone = applyEdits(doc, record.undoEdits(doc));
    expect(undone.cells).toEqual(start.cells);
    // What the panel says of the turn: `c` was edited, then deleted, so it counts once, as deleted.
    expect(record.counts()).toEqual({ added: 1, edited: 1, deleted: 2 });
  });

  it('forgets a cell added and deleted in the same turn, and leaves alone cells a person deleted since', () => {
    const record = new TurnRecord('t1', start);
    let doc = step(start, record, [{ type: 'insert_cell', index: 3, cell: code('tmp', 'z') }]);
    doc = step(doc, record, [{ type: 'delete_cell', id: CellId.from('tmp') }]);
    expect(record.isEmpty).toBe(true);
    doc = step(doc, record, [{ type: 'set_source', id: CellId.from('c'), source: 'print(2)' }]);
    doc = applyEdits(doc, [{ type: 'delete_cell', id: CellId.from('c') }]);
    expect(record.undoEdits(doc)).toEqual([]);
  });

  it('puts re-inserted cells at their old index, clamped to the notebook', () => {
    const record = new TurnRecord('t1', start);
    let doc = step(start, record, [{ type: 'delete_cell', id: CellId.from('c') }, { type: 'delete_cell', id: CellId.from('a') }]);
    doc = applyEdits(doc, [{ type: 'delete_cell', id: CellId.from('b') }]);
    expect(applyEdits(doc, record.undoEdits(doc)).cells.map((c) => c.id)).toEqual(['a', 'c']);
  });

  it('keeps the last turns that changed cells, oldest first', () => {
    const history = new UndoHistory(2);
    for (const turn of ['t1', 't2', 't3']) {
      const record = new TurnRecord(turn, start);
      step(start, record, [{ type: 'set_source', id: CellId.from('a'), source: turn }]);
      history.add(record);
    }
    history.add(new TurnRecord('empty', start));
    expect(history.turns()).toEqual(['t2', 't3']);
    history.delete('t2');
    expect(history.turns()).toEqual(['t3']);
  });
});
