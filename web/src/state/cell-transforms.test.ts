import { describe, expect, it } from 'vitest';
import { applyEdits, notebookToText, type NotebookEdit } from '../../../server/protocol/edits.ts';
import { CellId } from '../../../server/protocol/ids.ts';
import { createCell, type CellDoc, type NotebookDoc } from '../../../server/protocol/notebook.ts';
import { planMerge, planMoveBlock, planPaste, planSplit, splitSource } from './cell-transforms.ts';

const id = CellId.from;
const ran = (cell: CellDoc): CellDoc =>
  cell.cell_type === 'code' ? { ...cell, execution_count: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: 'out\n' }] } : cell;
const doc = (): NotebookDoc => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [ran(createCell('code', 'a = 1', id('a'))), createCell('code', 'b = 2', id('b')), createCell('markdown', '# c', id('c')), createCell('code', 'd', id('d'))],
});
const apply = (edits: NotebookEdit[]) => notebookToText(applyEdits(doc(), edits));
const ids = (...names: string[]) => names.map(id);
let counter = 0;
const fresh = () => id(`new${++counter}`);

describe('merging cells', () => {
  it('joins the selected cells into the active one with a blank line, clearing its outputs', () => {
    const plan = planMerge(doc().cells, ids('a', 'b', 'c'), id('a'))!;
    expect(plan.active).toBe('a');
    expect(apply(plan.edits)).toMatchInlineSnapshot(`
      "[code  ] a = 1⏎⏎b = 2⏎⏎# c
      [code  ] d"
    `);
  });

  it('keeps the active cell when it is not the first, the sources still in document order', () => {
    const plan = planMerge(doc().cells, ids('b', 'c'), id('c'))!;
    expect(apply(plan.edits)).toMatchInlineSnapshot(`
      "[code 3] a = 1
        > stdout: "out\\n"
      [markdown] b = 2⏎⏎# c
      [code  ] d"
    `);
  });

  it('merges one cell with the one below, and nothing at the end', () => {
    const plan = planMerge(doc().cells, ids('b'), id('b'))!;
    expect(apply(plan.edits).split('\n')[2]).toBe('[code  ] b = 2⏎⏎# c');
    expect(planMerge(doc().cells, ids('d'), id('d'))).toBeNull();
  });
});

describe('splitting a cell', () => {
  it('cuts at the cursor, trimming the blank lines at the cut', () => {
    expect(splitSource('x = 1\n\ny = 2\n', 6, 6)).toEqual(['x = 1', 'y = 2']);
    expect(splitSource('abc', 0, 0)).toEqual(['', 'abc']);
    expect(splitSource('abc', 3, 3)).toEqual(['abc', '']);
  });

  it('cuts around a selection into three parts', () => {
    expect(splitSource('one\ntwo\nthree', 4, 7)).toEqual(['one', 'two', 'three']);
    expect(splitSource('one\ntwo\nthree', 7, 4)).toEqual(['one', 'two', 'three']);
  });

  it('keeps the first part in the cell (outputs and all) and makes the others new cells below, the next one active', () => {
    const plan = planSplit(doc().cells, id('a'), 3, 3, fresh)!;
    expect(apply(plan.edits)).toMatchInlineSnapshot(`
      "[code 3] a =
        > stdout: "out\\n"
      [code  ]  1
      [code  ] b = 2
      [markdown] # c
      [code  ] d"
    `);
    expect(plan.active).toBe((plan.edits[1] as Extract<NotebookEdit, { type: 'insert_cell' }>).cell.id);
  });

  it('makes the selected part the active cell, of the same type', () => {
    const plan = planSplit([createCell('markdown', 'one\ntwo\nthree', id('m'))], id('m'), 4, 7, fresh)!;
    const inserted = plan.edits.flatMap((edit) => (edit.type === 'insert_cell' ? [edit.cell] : []));
    expect(inserted.map((cell) => [cell.cell_type, cell.source])).toEqual([
      ['markdown', 'two'],
      ['markdown', 'three'],
    ]);
    expect(plan.active).toBe(inserted[0]!.id);
  });
});

describe('pasting cells', () => {
  it('inserts copies with new ids, outputs kept, in order at the index', () => {
    const clipboard = [doc().cells[0]!, doc().cells[2]!];
    const plan = planPaste(clipboard, 1, fresh);
    expect(plan.ids.some((pasted) => pasted === 'a' || pasted === 'c')).toBe(false);
    expect(apply(plan.edits)).toMatchInlineSnapshot(`
      "[code 3] a = 1
        > stdout: "out\\n"
      [code 3] a = 1
        > stdout: "out\\n"
      [markdown] # c
      [code  ] b = 2
      [markdown] # c
      [code  ] d"
    `);
  });

  it("drops a pending review of the assistant's edit, which belongs to the original", () => {
    const cell = { ...createCell('code', 'x', id('r')), metadata: { cellmate: { author: 'agent', review: { previous_source: 'y' } }, tags: ['t'] } };
    const [edit] = planPaste([cell], 0, fresh).edits;
    expect(edit?.type === 'insert_cell' && edit.cell.metadata).toEqual({ cellmate: { author: 'agent' }, tags: ['t'] });
  });
});

describe('moving a block of cells', () => {
  it('moves the neighbour to the other side, in one edit', () => {
    expect(apply([planMoveBlock(doc().cells, ids('b', 'c'), -1)!]).split('\n').map((line) => line.slice(0, 12))).toEqual([
      '[code  ] b =',
      '[markdown] #',
      '[code 3] a =',
      '  > stdout: ',
      '[code  ] d',
    ]);
    expect(notebookToText(applyEdits(doc(), [planMoveBlock(doc().cells, ids('b', 'c'), 1)!])).split('\n').at(-1)).toBe('[markdown] # c');
  });

  it('does nothing at the edge', () => {
    expect(planMoveBlock(doc().cells, ids('a', 'b'), -1)).toBeNull();
    expect(planMoveBlock(doc().cells, ids('c', 'd'), 1)).toBeNull();
  });
});
