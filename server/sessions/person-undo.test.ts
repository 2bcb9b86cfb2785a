import { describe, expect, it } from 'vitest';
import { applyEdits, CellId, createCell, notebookToText, type CellDoc, type NotebookDoc, type NotebookEdit } from '../protocol/index.ts';
import { changeOf, hasCellOperation, PersonHistory } from './person-undo.ts';

const id = CellId.from;
const code = (cell: string, source: string, extra: Partial<Extract<CellDoc, { cell_type: 'code' }>> = {}): CellDoc => ({
  ...(createCell('code', source, id(cell)) as Extract<CellDoc, { cell_type: 'code' }>),
  ...extra,
});
const ran = { execution_count: 1, outputs: [{ output_type: 'stream' as const, name: 'stdout' as const, text: '1\n' }] };

/** A notebook with a person's history, changed the way the session does it. */
function notebook(cells: CellDoc[]) {
  let doc: NotebookDoc = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
  const history = new PersonHistory(5);
  const apply = (edits: NotebookEdit[]) => (doc = applyEdits(doc, edits));
  return {
    text: () => notebookToText(doc),
    ids: () => doc.cells.map((c) => c.id).join(' '),
    /** A person's operation: kept when it is a cell operation, as `applyPersonEdits` does. */
    person(edits: NotebookEdit[]) {
      const before = doc;
      apply(edits);
      if (hasCellOperation(edits)) history.record(changeOf(before, doc, edits));
    },
    /** One edit of a grouped operation, sent on its own as a tab does. */
    grouped(group: string, edit: NotebookEdit) {
      const before = doc;
      apply([edit]);
      history.recordGroup(group, before, doc, [edit]);
    },
    /** Anyone else's change (the assistant, another program, the kernel): not in the history. */
    other: (edits: NotebookEdit[]) => apply(edits),
    undo: () => history.undo(doc, apply),
    redo: () => history.redo(doc, apply),
    history,
  };
}

const abc = () => [code('a', 'x = 1', ran), code('b', 'y = 2'), code('c', 'print(x)')];

describe("a person's undo and redo of cell operations", () => {
  it('undoes and redoes an insert', () => {
    const nb = notebook(abc());
    nb.person([{ type: 'insert_cell', index: 1, cell: code('n', 'new') }]);
    expect(nb.ids()).toBe('a n b c');
    expect(nb.undo()).toBe(true);
    expect(nb.ids()).toBe('a b c');
    expect(nb.redo()).toBe(true);
    expect(nb.ids()).toBe('a n b c');
    expect(nb.redo()).toBe(false);
  });

  it('brings a deleted cell back where it was, outputs and all, and deletes it again on redo', () => {
    const nb = notebook(abc());
    const start = nb.text();
    nb.person([{ type: 'delete_cell', id: id('a') }]);
    expect(nb.ids()).toBe('b c');
    nb.undo();
    expect(nb.text()).toBe(start);
    nb.redo();
    expect(nb.ids()).toBe('b c');
  });

  it('moves a cell back, also when cells were added around it since', () => {
    const nb = notebook(abc());
    nb.person([{ type: 'move_cell', id: id('c'), index: 0 }]);
    expect(nb.ids()).toBe('c a b');
    nb.other([{ type: 'insert_cell', index: 0, cell: code('x', 'other tab') }]);
    nb.undo();
    // Back after `b`, the cell that preceded it.
    expect(nb.ids()).toBe('x a b c');
    nb.redo();
    expect(nb.ids()).toBe('x c a b');
  });

  it('moves a cell back down into the middle, and a block moved together back whole', () => {
    const nb = notebook([...abc(), code('d', 'z = 3')]);
    nb.person([{ type: 'move_cell', id: id('b'), index: 0 }]);
    expect(nb.ids()).toBe('b a c d');
    nb.undo();
    expect(nb.ids()).toBe('a b c d');
    nb.person([
      { type: 'move_cell', id: id('c'), index: 0 },
      { type: 'move_cell', id: id('d'), index: 1 },
    ]);
    expect(nb.ids()).toBe('c d a b');
    nb.undo();
    expect(nb.ids()).toBe('a b c d');
  });

  it('undoes a change of type, giving a code cell back its outputs', () => {
    const nb = notebook(abc());
    const start = nb.text();
    nb.person([{ type: 'set_cell_type', id: id('a'), cell_type: 'markdown' }]);
    expect(nb.text()).toMatchInlineSnapshot(`
      "[markdown] x = 1
      [code  ] y = 2
      [code  ] print(x)"
    `);
    nb.undo();
    expect(nb.text()).toBe(start);
    nb.redo();
    expect(nb.text().split('\n')[0]).toBe('[markdown] x = 1');
  });

  it('undoes a merge (a source change and a delete) as one step', () => {
    const nb = notebook(abc());
    const start = nb.text();
    nb.person([
      { type: 'set_source', id: id('a'), source: 'x = 1\ny = 2' },
      { type: 'delete_cell', id: id('b') },
    ]);
    expect(nb.text()).toMatchInlineSnapshot(`
      "[code 1] x = 1⏎y = 2
        > stdout: "1\\n"
      [code  ] print(x)"
    `);
    nb.undo();
    expect(nb.text()).toBe(start);
    expect(nb.history.canUndo).toBe(false);
  });

  it('undoes a paste of three cells as one step, and redo puts the three back in order', () => {
    const nb = notebook(abc());
    nb.person([1, 2, 3].map((n) => ({ type: 'insert_cell' as const, index: n, cell: code(`p${n}`, `pasted ${n}`) })));
    expect(nb.ids()).toBe('a p1 p2 p3 b c');
    nb.undo();
    expect(nb.ids()).toBe('a b c');
    nb.redo();
    expect(nb.ids()).toBe('a p1 p2 p3 b c');
  });

  it('keeps typing out of the history', () => {
    const nb = notebook(abc());
    nb.person([{ type: 'delete_cell', id: id('c') }]);
    nb.person([{ type: 'set_source', id: id('a'), source: 'typed' }]);
    nb.undo();
    // The delete is undone; the typing stays (the editor's own undo is for that).
    expect(nb.ids()).toBe('a b c');
    expect(nb.text().split('\n')[0]).toBe('[code 1] typed');
  });

  it('forgets what could be redone once a new operation comes', () => {
    const nb = notebook(abc());
    nb.person([{ type: 'delete_cell', id: id('a') }]);
    nb.undo();
    expect(nb.history.canRedo).toBe(true);
    nb.person([{ type: 'move_cell', id: id('c'), index: 0 }]);
    expect(nb.history.canRedo).toBe(false);
    expect(nb.redo()).toBe(false);
    expect(nb.ids()).toBe('c a b');
  });

  it('keeps the last operations only', () => {
    const nb = notebook(abc());
    for (let n = 0; n < 7; n++) nb.person([{ type: 'insert_cell', index: 0, cell: code(`n${n}`, '') }]);
    let undone = 0;
    while (nb.undo()) undone += 1;
    expect(undone).toBe(5);
    expect(nb.ids()).toBe('n1 n0 a b c');
  });

  describe('grouped edits', () => {
    it('undoes a merge sent as two edits of one group as one step', () => {
      const nb = notebook(abc());
      const start = nb.text();
      nb.grouped('merge-1', { type: 'set_source', id: id('a'), source: 'x = 1\n\ny = 2' });
      nb.grouped('merge-1', { type: 'delete_cell', id: id('b') });
      expect(nb.ids()).toBe('a c');
      expect(nb.undo()).toBe(true);
      expect(nb.text()).toBe(start);
      expect(nb.undo()).toBe(false);
      nb.redo();
      expect(nb.text()).toMatchInlineSnapshot(`
        "[code 1] x = 1⏎⏎y = 2
          > stdout: "1\\n"
        [code  ] print(x)"
      `);
    });

    it('keeps a group of text-only edits (a replace-all) as one step', () => {
      const nb = notebook(abc());
      nb.grouped('replace', { type: 'set_source', id: id('a'), source: 'z = 1' });
      nb.grouped('replace', { type: 'set_source', id: id('c'), source: 'print(z)' });
      expect(nb.text()).toMatchInlineSnapshot(`
        "[code 1] z = 1
          > stdout: "1\\n"
        [code  ] y = 2
        [code  ] print(z)"
      `);
      expect(nb.undo()).toBe(true);
      expect(nb.text()).toBe(notebook(abc()).text());
      expect(nb.history.canUndo).toBe(false);
    });

    it('makes two steps of two groups, and of one group interrupted by another operation', () => {
      const nb = notebook(abc());
      nb.grouped('one', { type: 'insert_cell', index: 0, cell: code('p1', '') });
      nb.grouped('two', { type: 'insert_cell', index: 0, cell: code('p2', '') });
      nb.person([{ type: 'delete_cell', id: id('c') }]);
      nb.grouped('two', { type: 'insert_cell', index: 0, cell: code('p3', '') });
      expect(nb.ids()).toBe('p3 p2 p1 a b');
      nb.undo();
      expect(nb.ids()).toBe('p2 p1 a b');
      nb.undo();
      expect(nb.ids()).toBe('p2 p1 a b c');
      nb.undo();
      expect(nb.ids()).toBe('p1 a b c');
    });

    it('starts a new step when the same group comes again after an undo', () => {
      const nb = notebook(abc());
      nb.grouped('g', { type: 'delete_cell', id: id('a') });
      nb.undo();
      nb.grouped('g', { type: 'delete_cell', id: id('b') });
      nb.undo();
      expect(nb.ids()).toBe('a b c');
      // The first delete's step became a redo step, which the new one cleared.
      expect(nb.redo()).toBe(true);
      expect(nb.ids()).toBe('a c');
      expect(nb.redo()).toBe(false);
    });
  });

  describe('when cells changed meanwhile', () => {
    it('keeps what was typed since into a cell whose type change is undone', () => {
      const nb = notebook(abc());
      nb.person([{ type: 'set_cell_type', id: id('b'), cell_type: 'markdown' }]);
      nb.other([{ type: 'set_source', id: id('b'), source: '# typed since' }]);
      nb.undo();
      expect(nb.text().split('\n')[2]).toBe('[code  ] # typed since');
    });

    it('keeps the merged cell as it is when it was edited since, and still brings the deleted one back', () => {
      const nb = notebook(abc());
      nb.person([
        { type: 'set_source', id: id('a'), source: 'x = 1\ny = 2' },
        { type: 'delete_cell', id: id('b') },
      ]);
      nb.other([{ type: 'set_source', id: id('a'), source: 'x = 1\ny = 2\nz = 3' }]);
      nb.undo();
      expect(nb.text()).toMatchInlineSnapshot(`
        "[code 1] x = 1⏎y = 2⏎z = 3
          > stdout: "1\\n"
        [code  ] y = 2
        [code  ] print(x)"
      `);
    });

    it('skips a cell deleted by someone else, and an operation with nothing left to undo', () => {
      const nb = notebook(abc());
      nb.person([{ type: 'insert_cell', index: 3, cell: code('n', 'new') }]);
      nb.person([{ type: 'move_cell', id: id('c'), index: 0 }]);
      nb.person([{ type: 'set_cell_type', id: id('c'), cell_type: 'raw' }]);
      nb.other([{ type: 'delete_cell', id: id('c') }]);
      // The type change and the move of `c` have nothing left to act on: one undo reaches the insert.
      expect(nb.undo()).toBe(true);
      expect(nb.ids()).toBe('a b');
      expect(nb.undo()).toBe(false);
    });

    it('brings a deleted cell back at its old index when the cell before it is gone too', () => {
      const nb = notebook(abc());
      nb.person([{ type: 'delete_cell', id: id('c') }]);
      nb.other([{ type: 'delete_cell', id: id('b') }]);
      nb.undo();
      expect(nb.ids()).toBe('a c');
    });

    it('does not bring back twice a cell someone else already restored', () => {
      const nb = notebook(abc());
      const b = code('b', 'y = 2');
      nb.person([{ type: 'delete_cell', id: id('b') }]);
      nb.other([{ type: 'insert_cell', index: 0, cell: b }]);
      expect(nb.undo()).toBe(false);
      expect(nb.ids()).toBe('b a c');
    });

    it('gives redo back the typing done in an inserted cell before its insert was undone', () => {
      const nb = notebook(abc());
      nb.person([{ type: 'insert_cell', index: 0, cell: code('n', '') }]);
      nb.other([{ type: 'set_source', id: id('n'), source: 'typed into the new cell' }]);
      nb.undo();
      nb.redo();
      expect(nb.text().split('\n')[0]).toBe('[code  ] typed into the new cell');
    });
  });
});
