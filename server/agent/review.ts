/**
 * The review of the agent's edits to a person's cell, kept in the cell's `metadata.cellmate.review`:
 * `{ previous_source, turn, model, run_on_accept? }`. The UI shows the cell as a diff against `previous_source` until the person
 * accepts (the mark goes) or rejects (the source goes back, the mark goes). `previous_source` is the source
 * before the first agent edit that is not settled yet, so several turns editing the same cell are reviewed as one.
 */
import type { CellDoc, JSONObject, JSONValue } from '../protocol/index.ts';

export interface CellReview {
  /** The person's source before the agent's unsettled edits. */
  previous_source: string;
  /** The turn of the latest agent edit. */
  turn: string;
  model: string;
  /** A one-click Fix's proposal: accepting it runs the cell. */
  run_on_accept?: true;
}

function asObject(value: JSONValue | undefined): JSONObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** `metadata.cellmate` of a cell, or an empty object. */
export function cellmateMetadata(cell: CellDoc): JSONObject {
  return asObject(cell.metadata['cellmate']) ?? {};
}

/** Whether the agent wrote this cell (then its edits need no review). */
export function isAgentCell(cell: CellDoc): boolean {
  return cellmateMetadata(cell)['author'] === 'agent';
}

/** The open review of a cell, or null (also for a mark that doesn't have the expected shape). */
export function reviewOf(cell: CellDoc): CellReview | null {
  const review = asObject(cellmateMetadata(cell)['review']);
  const previous = review?.['previous_source'];
  const turn = review?.['turn'];
  if (typeof previous !== 'string' || typeof turn !== 'string') return null;
  const model = review?.['model'];
  const runs = review?.['run_on_accept'] === true ? { run_on_accept: true as const } : {};
  return { previous_source: previous, turn, model: typeof model === 'string' ? model : '', ...runs };
}

/**
 * The metadata of a person's cell after an agent edit in `turn` to `source`: a review opens, or an open one keeps
 * its `previous_source` and moves to this turn. An edit back to the previous source closes the review (nothing
 * is left to review). Every other key is kept.
 */
export function metadataWithReview(cell: CellDoc, source: string, turn: string, model: string, options: { runOnAccept?: boolean } = {}): JSONObject {
  const previous = reviewOf(cell)?.previous_source ?? cell.source;
  if (source === previous) return metadataWithoutReview(cell);
  const review: JSONObject = { previous_source: previous, turn, model, ...(options.runOnAccept ? { run_on_accept: true } : {}) };
  return { ...cell.metadata, cellmate: { ...cellmateMetadata(cell), review } };
}

/** The metadata without the review mark (and without an emptied `cellmate` object). */
export function metadataWithoutReview(cell: CellDoc): JSONObject {
  const { review: _settled, ...rest } = cellmateMetadata(cell);
  const { cellmate: _old, ...others } = cell.metadata;
  return Object.keys(rest).length > 0 ? { ...others, cellmate: rest } : others;
}
