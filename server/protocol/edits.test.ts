import { describe, expect, it } from 'vitest';
import { applyEdit, applyEdits, EditError, notebookToText } from './edits.ts';
import { CellId } from './ids.ts';
import { createCell, createNotebook, type NotebookDoc } from './notebook.ts';

const a = CellId.from('a');
const b = CellId.from('b');
const c = CellId.from('c');

function threeCells(): NotebookDoc {
  return { ...createNotebook(), cells: [createCell('code', 'x = 1', a), createCell('markdown', '# Title', b), createCell('code', 'x', c)] };
}

describe('applyEdit', () => {
  it('inserts, moves and deletes cells', () => {
    const doc = applyEdits(threeCells(), [
      { type: 'insert_cell', index: 3, cell: createCell('raw', 'raw text', CellId.from('d')) },
      { type: 'move_cell', id: c, index: 0 },
      { type: 'delete_cell', id: b },
    ]);
    expect(notebookToText(doc)).toMatchInlineSnapshot(`
      "[code  ] x
      [code  ] x = 1
      [raw] raw text"
    `);
  });

  it('sets source and outputs, and shares untouched cells', () => {
    const before = threeCells();
    const doc = applyEdits(before, [
      { type: 'set_source', id: a, source: 'print(1)\nprint(2)' },
      { type: 'set_outputs', id: a, outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n2\n' }] },
      { type: 'set_execution_count', id: a, execution_count: 7 },
    ]);
    expect(notebookToText(doc)).toMatchInlineSnapshot(`
      "[code 7] print(1)⏎print(2)
        > stdout: "1\\n2\\n"
      [markdown] # Title
      [code  ] x"
    `);
    expect(doc.cells[1]).toBe(before.cells[1]);
    expect(before.cells[0]!.source).toBe('x = 1');
  });

  it('converts cell types, dropping outputs only when leaving code', () => {
    let doc = applyEdit(threeCells(), { type: 'set_outputs', id: a, outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi' }] });
    doc = applyEdit(doc, { type: 'set_cell_type', id: a, cell_type: 'markdown' });
    expect(doc.cells[0]).toEqual({ id: a, cell_type: 'markdown', source: 'x = 1', metadata: {} });
    doc = applyEdit(doc, { type: 'set_cell_type', id: b, cell_type: 'code' });
    expect(doc.cells[1]).toEqual({ id: b, cell_type: 'code', source: '# Title', metadata: {}, execution_count: null, outputs: [] });
  });

  it('clears outputs and execution counts', () => {
    let doc = applyEdit(threeCells(), { type: 'set_execution_count', id: a, execution_count: 3 });
    doc = applyEdit(doc, { type: 'clear_outputs', ids: [a, c] });
    expect(notebookToText(doc)).toContain('[code  ] x = 1');
  });

  it("clears the last run's timing with its outputs, keeping other metadata", () => {
    const execution = { 'iopub.execute_input': '2026-03-02T14:03:11.000Z', 'shell.execute_reply': '2026-03-02T14:03:12.000Z' };
    let doc = applyEdit(threeCells(), { type: 'set_cell_metadata', id: a, metadata: { tags: ['x'], execution } });
    doc = applyEdit(doc, { type: 'clear_outputs', ids: [a] });
    expect(doc.cells[0]!.metadata).toEqual({ tags: ['x'] });
    // A cell with nothing to clear stays the same object.
    expect(applyEdit(doc, { type: 'clear_outputs', ids: [a] }).cells[0]).toBe(doc.cells[0]);
  });

  it('refuses edits that do not fit, leaving the document untouched', () => {
    const doc = threeCells();
    const unknown = CellId.from('zzz');
    expect(() => applyEdit(doc, { type: 'delete_cell', id: unknown })).toThrowError(EditError);
    expect(() => applyEdit(doc, { type: 'insert_cell', index: 9, cell: createCell('code') })).toThrow(/outside 0..3/);
    expect(() => applyEdit(doc, { type: 'insert_cell', index: 0, cell: createCell('code', '', a) })).toThrow(/already exists/);
    expect(() => applyEdit(doc, { type: 'set_outputs', id: b, outputs: [] })).toThrow(/only code cells/);
    expect(() => applyEdits(doc, [{ type: 'delete_cell', id: a }, { type: 'delete_cell', id: unknown }])).toThrow();
    expect(doc.cells).toHaveLength(3);
  });
});
