import { describe, expect, it } from 'vitest';
import { CellId, createNotebook, type JSONObject, type NotebookDoc } from '../protocol/index.ts';
import { InvalidNotebook, PayloadTooLarge } from '../errors.ts';
import { parseNotebook, serializeNotebook } from './serializer.ts';

/** A 4.5 notebook exercising every kind of content, as Jupyter would write it. */
function richNotebook(): JSONObject {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' }, custom: { nested: [1, 'two', null] } },
    cells: [
      { id: 'md', cell_type: 'markdown', metadata: { tags: ['intro'] }, source: ['# Title\n', '![](attachment:a.png)'], attachments: { 'a.png': { 'image/png': 'iVBORw0KGgo=' } } },
      { id: 'raw', cell_type: 'raw', metadata: { format: 'text/latex' }, source: ['\\LaTeX'] },
      {
        id: 'code',
        cell_type: 'code',
        execution_count: 7,
        metadata: { collapsed: false, mine: { x: 1 } },
        source: ['import json\n', 'print(1)'],
        outputs: [
          { output_type: 'stream', name: 'stdout', text: ['1\n', '2\n'] },
          {
            output_type: 'execute_result',
            execution_count: 7,
            metadata: { 'image/png': { width: 10 } },
            data: {
              'text/plain': ['<Obj>'],
              'text/html': ['<b>\n', 'x</b>'],
              'application/vnd.custom.v1+json': { rows: [[1, 2]] },
              'application/x-unknown': 'opaque',
            },
          },
          { output_type: 'display_data', metadata: {}, data: { 'image/svg+xml': ['<svg>\n', '</svg>'] } },
          { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['\u001b[0;31mValueError\u001b[0m', 'line 2'] },
        ],
      },
      { id: 'empty', cell_type: 'code', execution_count: null, metadata: {}, source: [], outputs: [] },
    ],
  };
}

const text = (value: unknown) => `${JSON.stringify(value)}\n`;

describe('parseNotebook / serializeNotebook on nbformat 4.5', () => {
  it('joins multiline strings in memory and keeps everything else', () => {
    const { doc, warnings } = parseNotebook(text(richNotebook()));
    expect(warnings).toEqual([]);
    const [md, raw, code] = doc.cells;
    expect(md).toMatchObject({ id: 'md', source: '# Title\n![](attachment:a.png)', attachments: { 'a.png': { 'image/png': 'iVBORw0KGgo=' } } });
    expect(raw).toMatchObject({ cell_type: 'raw', source: '\\LaTeX', metadata: { format: 'text/latex' } });
    expect(code).toMatchObject({ execution_count: 7, metadata: { collapsed: false, mine: { x: 1 } } });
    if (code?.cell_type !== 'code') throw new Error('expected a code cell');
    expect(code.outputs[0]).toEqual({ output_type: 'stream', name: 'stdout', text: '1\n2\n' });
    expect(code.outputs[1]).toMatchObject({
      data: { 'text/plain': '<Obj>', 'text/html': '<b>\nx</b>', 'application/vnd.custom.v1+json': { rows: [[1, 2]] }, 'application/x-unknown': 'opaque' },
    });
    expect(doc.metadata).toEqual(richNotebook()['metadata']);
  });

  it('writes back the same JSON, formatted as Jupyter formats it', () => {
    const written = serializeNotebook(parseNotebook(text(richNotebook())).doc);
    expect(JSON.parse(written)).toEqual(richNotebook());
    expect(written.endsWith('}\n')).toBe(true);
    expect(written).toContain('\n "cells": [\n  {\n   "attachments": {');
    expect(parseNotebook(written).doc).toEqual(parseNotebook(text(richNotebook())).doc);
  });

  it('prints a small notebook exactly as nbformat does', () => {
    const doc: NotebookDoc = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: CellId.from('a'), cell_type: 'markdown', source: 'x\ny', metadata: {} }] };
    expect(serializeNotebook(doc)).toMatchInlineSnapshot(`
      "{
       "cells": [
        {
         "cell_type": "markdown",
         "id": "a",
         "metadata": {},
         "source": [
          "x\\n",
          "y"
         ]
        }
       ],
       "metadata": {},
       "nbformat": 4,
       "nbformat_minor": 5
      }
      "
    `);
  });

  it('strips runtime-only and transient values on write', () => {
    const doc = createNotebook();
    doc.metadata = { ...doc.metadata, signature: 'sha256:x', orig_nbformat: 3 };
    const cell = doc.cells[0]!;
    if (cell.cell_type !== 'code') throw new Error('expected a code cell');
    cell.metadata = { trusted: true, kept: 1 };
    cell.outputs = [{ output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {}, transient: { display_id: 'd1' } }];
    const written = JSON.parse(serializeNotebook(doc));
    expect(written.metadata).not.toHaveProperty('signature');
    expect(written.metadata).not.toHaveProperty('orig_nbformat');
    expect(written.cells[0].metadata).toEqual({ kept: 1 });
    expect(written.cells[0].outputs[0]).toEqual({ output_type: 'display_data', data: { 'text/plain': ['x'] }, metadata: {} });
  });

  it('keeps a "__proto__" metadata key as data', () => {
    const nb = richNotebook();
    const source = text(nb).replace('"custom":', '"__proto__": {"polluted": true}, "custom":');
    const { doc } = parseNotebook(source);
    expect(Object.hasOwn(doc.metadata, '__proto__')).toBe(true);
    expect(JSON.parse(serializeNotebook(doc)).metadata.__proto__).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('cell ids', () => {
  const cells = (ids: unknown[]) => ids.map((id) => ({ ...(id === undefined ? {} : { id }), cell_type: 'markdown', metadata: {}, source: '' }));
  const parse = (minor: number, ids: unknown[]) => parseNotebook(text({ nbformat: 4, nbformat_minor: minor, metadata: {}, cells: cells(ids) }));

  it('adds ids to 4.0–4.4 notebooks without a warning, and reads them as 4.5', () => {
    const { doc, warnings } = parse(4, [undefined, undefined]);
    expect(warnings).toEqual([]);
    expect(doc.nbformat_minor).toBe(5);
    expect(doc.cells.every((c) => CellId.is(c.id))).toBe(true);
    expect(new Set(doc.cells.map((c) => c.id)).size).toBe(2);
  });

  it('adds a missing id to a 4.5 notebook with a warning', () => {
    const { doc, warnings } = parse(5, ['a', undefined]);
    expect(doc.cells[0]!.id).toBe('a');
    expect(warnings).toEqual([expect.stringMatching(/^cell 2: missing id; added "[0-9a-f]{16}"$/)]);
  });

  it('renumbers duplicates and cleans invalid ids, never taking a later valid id', () => {
    const { doc, warnings } = parse(5, ['dup', 'dup', '$x', 'x', 'a'.repeat(70), 12]);
    expect(doc.cells.map((c) => c.id)).toEqual(['dup', 'dup-1', expect.not.stringMatching(/^x$/), 'x', 'a'.repeat(64), '12']);
    expect(warnings).toEqual([
      'cell 2: duplicate id "dup"; renamed "dup-1"',
      expect.stringMatching(/^cell 3: invalid id "\$x" .*; replaced by "[0-9a-f]{16}"$/),
      expect.stringMatching(/^cell 5: invalid id "a{70}" .*; replaced by "a{64}"$/),
      expect.stringMatching(/^cell 6: invalid id 12 .*; replaced by "12"$/),
    ]);
  });
});

describe('invalid notebooks', () => {
  const invalid = (source: string) => {
    try {
      parseNotebook(source);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidNotebook);
      return (error as InvalidNotebook).message;
    }
    throw new Error('expected InvalidNotebook');
  };
  const v4 = (cellsValue: unknown) => text({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cellsValue });

  it('names what is wrong', () => {
    expect(invalid('')).toMatch(/empty/);
    expect(invalid('{"nbformat": 4,')).toMatch(/^Not valid JSON: /);
    expect(invalid('[1]')).toBe('A notebook is a JSON object, not a list');
    expect(invalid('{"cells": []}')).toMatch(/Missing 'nbformat'/);
    expect(invalid('{"nbformat": 5, "cells": []}')).toMatch(/nbformat 5 is not supported/);
    expect(invalid('{"nbformat": 1, "cells": []}')).toMatch(/nbformat 1 is not supported/);
    expect(invalid('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}')).toMatch(/missing 'cells'/);
    expect(invalid(v4(3))).toMatch(/'cells' must be a list/);
  });

  it('lists the problems of each cell, numbered from 1', () => {
    const code = { id: 'c', cell_type: 'code', metadata: {}, execution_count: null };
    const message = invalid(
      v4([
        { id: 'a', cell_type: 'markdown', metadata: {}, source: 'ok' },
        { id: 'b', cell_type: 'markdown', metadata: {}, source: 'ok' },
        { id: 'c', cell_type: 'markdown', metadata: {} },
        { ...code, source: 1, outputs: [] },
        { ...code, id: 'd', source: '', outputs: [{ name: 'stdout' }, { output_type: 'stream', name: 'stdout' }, { output_type: 'pyout' }] },
        { id: 'e', cell_type: 'heading', metadata: {}, source: '' },
      ]),
    );
    expect(message).toBe(
      "Invalid nbformat 4 notebook: cell 3: missing 'source'; cell 4: 'source' must be a string or a list of strings; " +
        "cell 5, output 1: missing 'output_type'; cell 5, output 2: stream 'text' must be a string or a list of strings; " +
        'cell 5, output 3: unknown output_type "pyout"; and 1 more',
    );
  });

  it('refuses JSON nested deeper than CELLMATE_MAX_JSON_DEPTH (100 unless set), before parsing it', () => {
    const nested = (levels: number) => `{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"x": ${'['.repeat(levels)}${']'.repeat(levels)}}}`;
    expect(invalid(nested(600))).toMatch(/deeper than 100 levels \(CELLMATE_MAX_JSON_DEPTH\)/);
    expect(parseNotebook(nested(98)).doc.metadata).toEqual({ x: expect.any(Array) });
    expect(() => parseNotebook(nested(20), { maxJsonDepth: 10, maxCells: 10 })).toThrow(/deeper than 10 levels/);
    // Megabytes of brackets are refused without being parsed (JSON.parse alone would take seconds).
    expect(invalid(nested(8_000_000))).toMatch(/deeper than 100 levels/);
  });

  it('refuses more cells than CELLMATE_MAX_CELLS with 413, in nbformat 4 and 3 alike', () => {
    const cell = { id: 'a', cell_type: 'raw', metadata: {}, source: '' };
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...cell, id: `c${i}` }));
    const limits = { maxCells: 3, maxJsonDepth: 100 };
    expect(parseNotebook(v4(many(3)), limits).doc.cells).toHaveLength(3);
    const error = (() => {
      try {
        parseNotebook(v4(many(4)), limits);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(PayloadTooLarge);
    expect(error).toMatchObject({ status: 413, message: 'The notebook has 4 cells; notebooks of up to 3 cells can be opened (CELLMATE_MAX_CELLS)' });
    const v3 = { nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ cells: many(4).map(({ id: _id, ...rest }) => rest) }] };
    expect(() => parseNotebook(text(v3), limits)).toThrow(/4 cells; notebooks of up to 3/);
  });
});

describe('repairs that lose nothing', () => {
  it('fills missing metadata, outputs and execution counts, with warnings', () => {
    const { doc, warnings } = parseNotebook(text({ nbformat: 4, nbformat_minor: 5, cells: [{ id: 'a', cell_type: 'code', source: 'x' }] }));
    expect(doc.cells[0]).toEqual({ id: 'a', cell_type: 'code', source: 'x', metadata: {}, execution_count: null, outputs: [] });
    expect(warnings).toEqual([
      "missing notebook 'metadata'; added an empty one",
      "cell 1: missing 'metadata'; added an empty one",
      "cell 1: missing 'execution_count'; read as null",
      "cell 1: missing 'outputs'; read as no outputs",
    ]);
  });

  it('keeps unknown fields of a 4.5 notebook, with a warning, and a byte order mark is dropped', () => {
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, mine: 1, cells: [{ id: 'a', cell_type: 'raw', metadata: {}, source: '', foo: 'bar' }] };
    const { doc, warnings } = parseNotebook(`\uFEFF${text(nb)}`);
    expect(warnings).toEqual([
      'the file starts with a byte order mark; it is not written back',
      'unknown top-level field(s) "mine" kept as is',
      'cell 1: unknown field(s) "foo" kept as is',
    ]);
    expect(JSON.parse(serializeNotebook(doc))).toEqual({ ...nb, cells: [{ ...nb.cells[0], source: [] }] });
  });
});
