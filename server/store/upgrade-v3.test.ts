import { describe, expect, it } from 'vitest';
import { parseNotebook, serializeNotebook } from './serializer.ts';

const v3 = (cells: unknown[], extra: object = {}) =>
  JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: { name: 'old', signature: 'sha', kept: 1 }, worksheets: [{ metadata: {}, cells }], ...extra });

describe('nbformat 3 → 4.5', () => {
  it('converts cells and outputs the way nbformat does', () => {
    const { doc, warnings } = parseNotebook(
      v3([
        { cell_type: 'heading', level: 2, metadata: {}, source: ['Two\n', 'lines'] },
        { cell_type: 'html', metadata: {}, source: ['<b>x</b>'] },
        {
          cell_type: 'code',
          language: 'python',
          collapsed: true,
          input: ['x = 1\n', 'x'],
          prompt_number: 4,
          metadata: {},
          outputs: [
            { output_type: 'stream', stream: 'stderr', text: ['warn\n'] },
            { output_type: 'pyout', prompt_number: 4, text: ['1'], html: ['<i>1</i>'], png: 'iVBO', json: '{"a": [1]}', metadata: { png: { width: 3 } } },
            { output_type: 'display_data', latex: ['$x$'], javascript: ['alert(1)'], svg: ['<svg/>'], jpeg: 'xyz', metadata: {} },
            { output_type: 'pyerr', ename: 'E', evalue: 'v', traceback: ['t'] },
          ],
        },
      ]),
    );
    expect(warnings).toEqual(['converted from nbformat 3 to 4.5: saving writes the new format']);
    expect(doc.metadata).toEqual({ kept: 1 });
    expect(doc.cells.map((c) => [c.cell_type, c.source])).toEqual([
      ['markdown', '## Two lines'],
      ['markdown', '<b>x</b>'],
      ['code', 'x = 1\nx'],
    ]);
    const code = doc.cells[2];
    if (code?.cell_type !== 'code') throw new Error('expected a code cell');
    expect(code.metadata).toEqual({ collapsed: true });
    expect(code.execution_count).toBe(4);
    expect(code.outputs).toEqual([
      { output_type: 'stream', name: 'stderr', text: 'warn\n' },
      {
        output_type: 'execute_result',
        execution_count: 4,
        data: { 'text/plain': '1', 'text/html': '<i>1</i>', 'image/png': 'iVBO', 'application/json': { a: [1] } },
        metadata: { 'image/png': { width: 3 } },
      },
      {
        output_type: 'display_data',
        data: { 'text/latex': '$x$', 'application/javascript': 'alert(1)', 'image/svg+xml': '<svg/>', 'image/jpeg': 'xyz' },
        metadata: {},
      },
      { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['t'] },
    ]);
    expect(JSON.parse(serializeNotebook(doc))).toMatchObject({ nbformat: 4, nbformat_minor: 5 });
  });

  it('merges several worksheets, and says so', () => {
    const ws = (source: string) => ({ cells: [{ cell_type: 'markdown', metadata: {}, source }] });
    const { doc, warnings } = parseNotebook(JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [ws('a'), ws('b')] }));
    expect(doc.cells.map((c) => c.source)).toEqual(['a', 'b']);
    expect(warnings).toContain('2 worksheets were merged into one list of cells');
  });

  it('refuses structure it cannot convert, naming it', () => {
    expect(() => parseNotebook(JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: {} }))).toThrow(
      "Invalid nbformat 3 notebook: 'worksheets' must be a list",
    );
    expect(() => parseNotebook(v3([{ cell_type: 'code', metadata: {}, outputs: [], input: 5 }]))).toThrow(
      "Invalid nbformat 3 notebook: cell 1: 'source' must be a string or a list of strings",
    );
  });
});

describe('nbformat 2 → 4.5', () => {
  it('joins lines written without their ends', () => {
    const nb = {
      nbformat: 2,
      metadata: { name: 'n' },
      worksheets: [{ cells: [{ cell_type: 'code', input: ['a = 1', 'a'], language: 'python', outputs: [{ output_type: 'pyout', prompt_number: 1, text: ['1', '2'] }], prompt_number: 1 }] }],
    };
    const { doc, warnings } = parseNotebook(JSON.stringify(nb));
    expect(warnings).toEqual(['converted from nbformat 2 to 4.5: saving writes the new format']);
    expect(doc.cells[0]).toMatchObject({ source: 'a = 1\na', execution_count: 1, outputs: [{ data: { 'text/plain': '1\n2' } }] });
  });
});
