import { describe, expect, it } from 'vitest';
import { applyEdits, CellId, createCell, notebookToText, type CellDoc, type NotebookDoc } from '../protocol/index.ts';
import { ToolError } from '../agent/tools/types.ts';
import { cellVersion, describeStale, planBatch } from './batch-edits.ts';

const author = { turn: 't-mcp', client: 'Claude Code' };

function notebook(cells: CellDoc[]): NotebookDoc {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

const start = notebook([
  createCell('code', 'x = 1', CellId.from('a')),
  { ...createCell('code', 'y = 2', CellId.from('b')), metadata: { cellmate: { author: 'agent', turn: 't-old', model: 'gpt' } } },
  createCell('markdown', '# Notes', CellId.from('c')),
]);
const v = (id: string) => cellVersion(start.cells.find((cell) => cell.id === id)!);

function planned(doc: NotebookDoc, ...ops: Parameters<typeof planBatch>[1]) {
  const plan = planBatch(doc, ops, author);
  if (!plan.ok) throw new Error(describeStale(plan.stale));
  return { plan, doc: applyEdits(doc, plan.edits) };
}

describe('a batch of an MCP client', () => {
  it('adds in order after one cell, edits and deletes; each result has the new version', () => {
    const { plan, doc } = planned(
      start,
      { action: 'add', source: 'first', cell_type: 'code', after_cell_id: 'a' },
      { action: 'add', source: 'second', cell_type: 'markdown', after_cell_id: 'a' },
      { action: 'add', source: 'last', cell_type: 'code' },
      { action: 'edit', cell_id: 'a', version: v('a'), source: 'x = 10' },
      { action: 'delete', cell_id: 'c', version: v('c') },
    );
    expect(doc.cells.map((cell) => cell.source)).toEqual(['x = 10', 'first', 'second', 'y = 2', 'last']);
    expect(plan.results[3]).toEqual({ action: 'edit', cell_id: 'a', version: cellVersion({ cell_type: 'code', source: 'x = 10' }) });
    expect(plan.results[0]!.version).toBe(cellVersion(doc.cells[1]!));
  });

  it("marks added cells with the client's name, a person's edited cell for review, an agent's cell as this turn's", () => {
    const { doc } = planned(
      start,
      { action: 'add', source: 'z = 3', cell_type: 'code' },
      { action: 'edit', cell_id: 'a', version: v('a'), source: 'x = 10' },
      { action: 'edit', cell_id: 'b', version: v('b'), source: 'y = 20' },
    );
    const marks = Object.fromEntries(doc.cells.map((cell) => [cell.source, cell.metadata['cellmate']]));
    expect(marks['z = 3']).toEqual({ author: 'agent', turn: 't-mcp', model: 'Claude Code', client: 'Claude Code' });
    expect(marks['x = 10']).toEqual({ review: { previous_source: 'x = 1', turn: 't-mcp', model: 'Claude Code' } });
    expect(marks['y = 20']).toEqual({ author: 'agent', turn: 't-mcp', model: 'Claude Code', client: 'Claude Code' });
  });

  it('refuses the whole batch when a cell changed or went since it was read, with its current text', () => {
    const changed = applyEdits(start, [
      { type: 'set_source', id: CellId.from('a'), source: 'x = 99  # typed meanwhile' },
      { type: 'delete_cell', id: CellId.from('c') },
    ]);
    const plan = planBatch(
      changed,
      [
        { action: 'add', source: 'new', cell_type: 'code' },
        { action: 'edit', cell_id: 'a', version: v('a'), source: 'x = 10' },
        { action: 'edit', cell_id: 'b', version: v('b'), source: 'y = 20' },
        { action: 'delete', cell_id: 'c', version: v('c') },
      ],
      author,
    );
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.stale.map((s) => s.cell_id)).toEqual(['a', 'c']);
    const message = describeStale(plan.stale);
    expect(message).toContain('x = 99  # typed meanwhile');
    expect(message).toContain(`it is now version ${cellVersion(changed.cells[0]!)}`);
    expect(message).toContain('Cell c no longer exists');
  });

  it('takes a cell whose type changed as changed, and an edit to the same text as no change', () => {
    const retyped = applyEdits(start, [{ type: 'set_cell_type', id: CellId.from('a'), cell_type: 'markdown' }]);
    expect(planBatch(retyped, [{ action: 'edit', cell_id: 'a', version: v('a'), source: 'x' }], author).ok).toBe(false);
    const { plan, doc } = planned(start, { action: 'edit', cell_id: 'a', version: v('a'), source: 'x = 1' });
    expect(plan.edits).toEqual([]);
    expect(notebookToText(doc)).toBe(notebookToText(start));
  });

  it('says what is wrong with a batch that names an unknown anchor or a cell twice', () => {
    expect(() => planBatch(start, [{ action: 'add', source: '', cell_type: 'code', after_cell_id: 'nope' }], author)).toThrow(ToolError);
    expect(() =>
      planBatch(
        start,
        [
          { action: 'edit', cell_id: 'a', version: v('a'), source: '1' },
          { action: 'delete', cell_id: 'a', version: v('a') },
        ],
        author,
      ),
    ).toThrow(/named twice/);
    expect(() =>
      planBatch(
        start,
        [
          { action: 'delete', cell_id: 'a', version: v('a') },
          { action: 'add', source: '', cell_type: 'code', after_cell_id: 'a' },
        ],
        author,
      ),
    ).toThrow(/deleted in the same call/);
  });
});
