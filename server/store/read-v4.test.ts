import { describe, expect, it } from 'vitest';
import type { JSONObject } from '../protocol/index.ts';
import { parseNotebook, serializeNotebook } from './serializer.ts';

/** A notebook from a newer nbformat minor, with what 4.5 doesn't know at every level. */
const future: JSONObject = {
  nbformat: 4,
  nbformat_minor: 7,
  metadata: {},
  later: { top: true },
  cells: [
    { id: 'a', cell_type: 'markdown', metadata: {}, source: ['x'], revision: 3 },
    { id: 'b', cell_type: 'sql', metadata: { tags: ['t'] }, source: ['select 1\n', 'from t'], connection: 'db' },
    { id: 'c', cell_type: 'widget', metadata: {}, state: { on: true } },
    {
      id: 'd',
      cell_type: 'code',
      execution_count: 2,
      metadata: {},
      source: ['f()'],
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['hi\n'], seq: 1 },
        { output_type: 'table', rows: [[1]] },
        { output_type: 'stream', name: 'log', text: ['custom stream\n'] },
      ],
    },
  ],
};

describe('notebooks from a newer nbformat minor', () => {
  it('keep their version, unknown fields, cell types and output types, written back unchanged', () => {
    const { doc, warnings } = parseNotebook(JSON.stringify(future));
    expect(doc.nbformat_minor).toBe(7);
    expect(warnings).toEqual([
      "nbformat 4.7 is newer than 4.5: what this version doesn't know is kept as it came",
      'cell 2: cell type "sql" is shown as raw and kept as it came',
      'cell 3: cell type "widget" is shown as raw and kept as it came',
      'cell 4, output 3: stream "log" is shown as text and kept as it came',
    ]);
    expect(JSON.parse(serializeNotebook(doc))).toEqual(future);
  });

  it('shows unknown cells as raw cells and unknown outputs as text', () => {
    const { doc } = parseNotebook(JSON.stringify(future));
    expect(doc.cells[1]).toMatchObject({ id: 'b', cell_type: 'raw', source: 'select 1\nfrom t', metadata: { tags: ['t'] } });
    expect(doc.cells[2]).toMatchObject({ id: 'c', cell_type: 'raw', source: '' });
    const code = doc.cells[3];
    if (code?.cell_type !== 'code') throw new Error('expected a code cell');
    expect(code.outputs[0]).toEqual({ output_type: 'stream', name: 'stdout', text: 'hi\n', extra: { seq: 1 } });
    expect(code.outputs[1]).toMatchObject({ output_type: 'display_data', data: { 'text/plain': expect.stringContaining('table') } });
    expect(code.outputs[2]).toMatchObject({ output_type: 'display_data', data: { 'text/plain': 'custom stream\n' } });
  });

  it('keeps edits to the source of a cell of an unknown type', () => {
    const { doc } = parseNotebook(JSON.stringify(future));
    const edited = { ...doc, cells: doc.cells.map((cell) => (cell.id === 'c' || cell.id === 'b' ? { ...cell, source: 'new' } : cell)) };
    const cells = JSON.parse(serializeNotebook(edited)).cells;
    expect(cells[1]).toEqual({ id: 'b', cell_type: 'sql', metadata: { tags: ['t'] }, source: ['new'], connection: 'db' });
    expect(cells[2]).toEqual({ id: 'c', cell_type: 'widget', metadata: {}, state: { on: true }, source: ['new'] });
  });

  it('keep a source that is not text as it came', () => {
    const nb = { ...future, cells: [{ id: 'w', cell_type: 'widget', metadata: {}, source: { model: 1 } }] };
    const { doc } = parseNotebook(JSON.stringify(nb));
    expect(doc.cells[0]).toMatchObject({ cell_type: 'raw', source: '' });
    expect(JSON.parse(serializeNotebook(doc)).cells).toEqual(nb.cells);
  });

  it('are refused as 4.5 would be when a 4.5 file holds unknown types', () => {
    expect(() => parseNotebook(JSON.stringify({ ...future, nbformat_minor: 5 }))).toThrow(/cell 2: unknown cell_type "sql".*unknown output_type "table"/);
  });
});

describe('repaired metadata', () => {
  it('drops known keys of the wrong type, like nbformat strip_invalid_metadata, and keeps the rest', () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3' }, language_info: { name: 'python' }, signature: 'x', mine: 'kept' },
      cells: [{ id: 'a', cell_type: 'code', source: '', execution_count: null, outputs: [], metadata: { tags: ['a,b'], scrolled: 'auto', trusted: true, deletable: 'odd but allowed' } }],
    };
    const { doc, warnings } = parseNotebook(JSON.stringify(nb));
    expect(doc.metadata).toEqual({ language_info: { name: 'python' }, mine: 'kept' });
    expect(doc.cells[0]!.metadata).toEqual({ scrolled: 'auto', deletable: 'odd but allowed' });
    expect(warnings).toEqual([
      `metadata.kernelspec should be an object with string 'name' and 'display_name'; removed the invalid value {"name":"python3"}`,
      'cell 1: metadata.tags should be a list of distinct strings without commas; removed the invalid value ["a,b"]',
    ]);
  });
});
