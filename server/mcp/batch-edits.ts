/**
 * An MCP client's changes to cells, checked against the versions it read. A cell's version is a hash of its
 * type and text (`cellVersion`): every read hands it out, every edit or delete must bring it back, and a batch
 * whose versions are not all current is refused whole, with each stale cell's current text, so two agents (or an
 * agent and a person typing) never overwrite what the other did unseen. A batch that passes becomes one list of
 * edits, applied as one step.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CellId, createCell, type CellDoc, type JSONObject, type NotebookDoc, type NotebookEdit } from '../protocol/index.ts';
import { ToolError } from '../agent/tools/types.ts';
import { cellmateMetadata, isAgentCell, metadataWithReview } from '../agent/review.ts';

/** The version of a cell as clients see it: changes whenever its text or type does. */
export function cellVersion(cell: Pick<CellDoc, 'cell_type' | 'source'>): string {
  return createHash('sha256').update(`${cell.cell_type}\n${cell.source}`).digest('hex').slice(0, 12);
}

const cellTypeArg = z.enum(['code', 'markdown']);

export const cellOperationSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('add'),
    source: z.string().max(1_000_000).describe('The full source of the new cell.'),
    cell_type: cellTypeArg.default('code').describe('code (the default) or markdown.'),
    after_cell_id: z
      .string()
      .nullish()
      .describe('Insert after this cell (several adds after one cell keep their order); omit or null for the end.'),
  }),
  z.object({
    action: z.literal('edit'),
    cell_id: z.string().describe('The cell to change.'),
    version: z.string().describe('The version of the cell as you last read it.'),
    source: z.string().max(1_000_000).describe('The new full source of the cell.'),
  }),
  z.object({
    action: z.literal('delete'),
    cell_id: z.string().describe('The cell to delete.'),
    version: z.string().describe('The version of the cell as you last read it.'),
  }),
]);
export type CellOperation = z.infer<typeof cellOperationSchema>;

/** Who makes the changes: written into the cells' `metadata.cellmate`. */
export interface ExternalAuthor {
  /** The MCP session's turn in this notebook. */
  turn: string;
  /** The MCP client's name, from its `initialize`. */
  client: string;
}

/** A cell an operation found changed since it was read (or gone). */
export interface StaleCell {
  cell_id: string;
  given: string;
  /** null: the cell is gone. */
  current: { version: string; cell_type: CellDoc['cell_type']; source: string } | null;
}

export type BatchPlan =
  | { ok: true; edits: NotebookEdit[]; results: { action: CellOperation['action']; cell_id: string; version: string | null }[] }
  | { ok: false; stale: StaleCell[] };

/** `metadata.cellmate` of a cell an MCP client writes: the assistant's marks, with the client named. */
function authorMetadata(author: ExternalAuthor): JSONObject {
  return { author: 'agent', turn: author.turn, model: author.client, client: author.client };
}

function editedMetadata(cell: CellDoc, source: string, author: ExternalAuthor): JSONObject {
  // A cell an agent wrote moves to this turn; a person's cell keeps its author and opens a review.
  if (isAgentCell(cell)) return { ...cell.metadata, cellmate: { ...cellmateMetadata(cell), ...authorMetadata(author) } };
  return metadataWithReview(cell, source, author.turn, author.client);
}

const READ_AGAIN = 'Call read_notebook to get the cell ids and versions as they are now.';

/**
 * Checks `operations` against `doc` and turns them into edits, or reports every stale cell. Unknown cells and a
 * cell named twice are `ToolError`s (a mistake of the caller, not a race).
 */
export function planBatch(doc: NotebookDoc, operations: readonly CellOperation[], author: ExternalAuthor): BatchPlan {
  const byId = new Map(doc.cells.map((cell) => [cell.id as string, cell]));
  const named = new Set<string>();
  const stale: StaleCell[] = [];
  for (const op of operations) {
    if (op.action === 'add') {
      if (op.after_cell_id != null && !byId.has(op.after_cell_id)) {
        throw new ToolError('unknown_cell', `No cell has the id ${JSON.stringify(op.after_cell_id)} (after_cell_id).`, READ_AGAIN);
      }
      continue;
    }
    if (named.has(op.cell_id)) throw new ToolError('cell_named_twice', `Cell ${op.cell_id} is named twice in one batch.`, 'Give each cell at most one edit or delete per call.');
    named.add(op.cell_id);
    const cell = byId.get(op.cell_id);
    if (!cell) {
      stale.push({ cell_id: op.cell_id, given: op.version, current: null });
      continue;
    }
    const version = cellVersion(cell);
    if (version !== op.version) stale.push({ cell_id: op.cell_id, given: op.version, current: { version, cell_type: cell.cell_type, source: cell.source } });
  }
  if (stale.length > 0) return { ok: false, stale };

  const edits: NotebookEdit[] = [];
  const results: Extract<BatchPlan, { ok: true }>['results'] = [];
  let ids: string[] = doc.cells.map((cell) => cell.id);
  /** The last cell added after each anchor ('' is the end), so adds after one cell keep their order. */
  const lastAdded = new Map<string, string>();
  for (const op of operations) {
    switch (op.action) {
      case 'add': {
        const anchor = op.after_cell_id ?? '';
        const after = lastAdded.get(anchor) ?? (anchor === '' ? undefined : anchor);
        if (after !== undefined && !ids.includes(after)) {
          throw new ToolError('unknown_cell', `Cell ${after} is deleted in the same call, so nothing can be added after it.`, 'Add after another cell.');
        }
        const index = after === undefined ? ids.length : ids.indexOf(after) + 1;
        const cell = createCell(op.cell_type, op.source, CellId.create());
        cell.metadata = { cellmate: authorMetadata(author) };
        edits.push({ type: 'insert_cell', index, cell });
        ids = [...ids.slice(0, index), cell.id, ...ids.slice(index)];
        lastAdded.set(anchor, cell.id);
        results.push({ action: 'add', cell_id: cell.id, version: cellVersion(cell) });
        break;
      }
      case 'edit': {
        const cell = byId.get(op.cell_id)!;
        if (cell.source !== op.source) {
          edits.push({ type: 'set_source', id: cell.id, source: op.source });
          edits.push({ type: 'set_cell_metadata', id: cell.id, metadata: editedMetadata(cell, op.source, author) });
        }
        results.push({ action: 'edit', cell_id: cell.id, version: cellVersion({ cell_type: cell.cell_type, source: op.source }) });
        break;
      }
      case 'delete': {
        const cell = byId.get(op.cell_id)!;
        edits.push({ type: 'delete_cell', id: cell.id });
        ids = ids.filter((id) => id !== cell.id);
        results.push({ action: 'delete', cell_id: cell.id, version: null });
        break;
      }
    }
  }
  return { ok: true, edits, results };
}

/** The refusal of a stale batch, for the client: what changed, and each cell's current text and version. */
export function describeStale(stale: readonly StaleCell[]): string {
  const parts = stale.map(({ cell_id, given, current }) => {
    if (current === null) return `Cell ${cell_id} no longer exists (someone deleted it).`;
    return (
      `Cell ${cell_id} changed since you read it (you gave version ${given}; it is now version ${current.version}). ` +
      `Its current ${current.cell_type} source:\n\`\`\`\n${current.source}\n\`\`\``
    );
  });
  return [
    'Nothing in this call was applied: some cells changed since you read them.',
    ...parts,
    'Make your change on the current text, with the current version, and call again.',
  ].join('\n\n');
}
