/**
 * The tools that read and change cells. Each change is one `applyEdits` call, so it reaches every open tab as
 * one step and a failure never leaves a cell half-written.
 */
import { z } from 'zod';
import { CellId, createCell, type AgentCellMetadata, type CellDoc, type JSONObject } from '../../protocol/index.ts';
import { mergeText } from '../../sessions/text-authority.ts';
import { shapeCells } from '../context.ts';
import { cellmateMetadata, isAgentCell, metadataWithReview } from '../review.ts';
import { defineTool, ToolError, type ToolContext } from './types.ts';

const READ_FIX = 'Use a cell id from read_notebook or from the notebook overview in the prompt.';

/** The cell with this id, or a `ToolError` that tells the model where to find ids. */
export function findCell(ctx: ToolContext, id: string): CellDoc {
  const cell = ctx.notebook.doc().cells.find((c) => c.id === id);
  if (!cell) throw new ToolError('unknown_cell', `No cell has the id ${JSON.stringify(id)}.`, READ_FIX);
  return cell;
}

function agentMetadata(ctx: ToolContext): AgentCellMetadata {
  return { author: 'agent', turn: ctx.turn, model: ctx.model };
}

/**
 * Metadata after the agent edits a cell: its own cells move to this turn; a person's cell keeps its author and
 * gets a review mark (the UI shows the change as a diff to accept or reject, see `../review.ts`).
 */
function editedMetadata(cell: CellDoc, source: string, ctx: ToolContext): JSONObject {
  if (isAgentCell(cell)) return { ...cell.metadata, cellmate: { ...cellmateMetadata(cell), ...agentMetadata(ctx) } };
  return metadataWithReview(cell, source, ctx.turn, ctx.model);
}

export const readNotebook = defineTool({
  name: 'read_notebook',
  description:
    'Reads the notebook: each cell with its id, type, source, whether it ran, and its outputs shaped to fit ' +
    '(long outputs keep their start and end). Pass cell_ids to read only some cells.',
  input: z.object({
    cell_ids: z.array(z.string()).nullable().describe('Ids of the cells to read; null for all cells.'),
  }),
  async handler({ cell_ids }, ctx) {
    const doc = ctx.notebook.doc();
    const cells = cell_ids === null ? doc.cells : cell_ids.map((id) => findCell(ctx, id));
    const shaped = shapeCells(cells, { maxChars: ctx.outputChars, vision: ctx.vision, maxImages: 2 });
    for (const cell of cells) ctx.seen.set(cell.id, cell.source);
    const header = `Notebook ${JSON.stringify(ctx.notebook.path)}: ${doc.cells.length} cells${cell_ids === null ? '' : `, showing ${cells.length}`}.`;
    return { content: `${header}\n\n${shaped.text}`, summary: `read ${cells.length} cell${cells.length === 1 ? '' : 's'}`, images: shaped.images };
  },
});

export const addCell = defineTool({
  name: 'add_cell',
  description:
    'Adds a new cell with the given source. It does not run it: call run_cell with the returned id. Add cells ' +
    'in notebook order (after the last cell you added) so the notebook reads top to bottom.',
  input: z.object({
    source: z.string().describe('The full source of the cell.'),
    cell_type: z.enum(['code', 'markdown']).describe('code for Python, markdown for notes.'),
    after_cell_id: z.string().nullable().describe('Insert after this cell; null to add at the end.'),
  }),
  async handler({ source, cell_type, after_cell_id }, ctx) {
    const doc = ctx.notebook.doc();
    const index = after_cell_id === null ? doc.cells.length : doc.cells.indexOf(findCell(ctx, after_cell_id)) + 1;
    const cell = createCell(cell_type, source, CellId.create());
    cell.metadata = { cellmate: { ...agentMetadata(ctx) } };
    ctx.notebook.applyEdits([{ type: 'insert_cell', index, cell }]);
    ctx.seen.set(cell.id, source);
    ctx.cellChanged(cell.id, 'added');
    const where = after_cell_id === null ? 'at the end' : `after cell ${after_cell_id}`;
    const next = cell_type === 'code' ? ' Run it with run_cell.' : '';
    return { content: `Added ${cell_type} cell ${cell.id} ${where} (position ${index + 1} of ${doc.cells.length + 1}).${next}`, summary: `added cell ${cell.id}` };
  },
});

export const editCell = defineTool({
  name: 'edit_cell',
  description:
    'Replaces the whole source of a cell. Use it to fix a cell that failed (then run_cell it again) instead of ' +
    'adding a new cell. It does not run the cell.',
  input: z.object({
    id: z.string().describe('The id of the cell to change.'),
    source: z.string().describe('The new full source of the cell.'),
  }),
  async handler({ id, source }, ctx) {
    const cell = findCell(ctx, id);
    // Made from the text the model last saw: what a person typed into the cell since then is kept.
    const base = ctx.seen.get(cell.id);
    const merged = base === undefined ? source : mergeText(base, cell.source, source);
    // The model is told the merged text when it differs (below): that is what it has seen.
    ctx.seen.set(cell.id, merged);
    if (cell.source === merged) return { content: `Cell ${id} already has this source; nothing changed.`, summary: `cell ${id} unchanged` };
    ctx.notebook.applyEdits([
      { type: 'set_source', id: cell.id, source: merged },
      { type: 'set_cell_metadata', id: cell.id, metadata: editedMetadata(cell, merged, ctx) },
    ]);
    ctx.cellChanged(cell.id, 'edited');
    const next = cell.cell_type === 'code' ? ' Its outputs are from the old source until you run it.' : '';
    const kept = merged === source ? '' : ` Someone edited the cell meanwhile; their change is kept, so it now reads:\n${merged}`;
    return { content: `Cell ${id} now has the new source.${next}${kept}`, summary: `edited cell ${id}` };
  },
});

export const deleteCell = defineTool({
  name: 'delete_cell',
  description: 'Deletes a cell. Prefer edit_cell to fix a cell; delete only cells that are wrong or duplicated.',
  input: z.object({ id: z.string().describe('The id of the cell to delete.') }),
  async handler({ id }, ctx) {
    const cell = findCell(ctx, id);
    ctx.notebook.applyEdits([{ type: 'delete_cell', id: cell.id }]);
    ctx.cellChanged(cell.id, 'deleted');
    return { content: `Deleted cell ${id}. Variables it defined stay in the kernel until it restarts.`, summary: `deleted cell ${id}` };
  },
});
