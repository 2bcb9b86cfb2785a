/**
 * What a cell's `metadata.cellmate` says about the assistant: who wrote the cell (`AgentCellMetadata`), and
 * whether an edit of the assistant to a person's cell waits for review. Read defensively: metadata comes from
 * files anyone may have edited, and a cell must open whatever it holds.
 */
import type { AgentCellMetadata } from '../../../server/protocol/agent.ts';
import type { JSONObject, JSONValue } from '../../../server/protocol/notebook.ts';

/** An edit of the assistant to a cell a person wrote, kept until accepted or rejected. */
export interface AgentReview {
  /** The source before the assistant's edit (restored on reject). */
  previousSource: string;
  turn: string;
  /** The model that made the edit, when the mark says. */
  model: string | null;
  /** A one-click Fix's proposal: accepting it runs the cell. */
  runOnAccept: boolean;
}

export interface AgentCellInfo {
  author: AgentCellMetadata | null;
  review: AgentReview | null;
}

function asObject(value: JSONValue | undefined): JSONObject | null {
  return value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/**
 * @example
 *   agentCellInfo({ cellmate: { author: 'agent', turn: 't1', model: 'gpt-4o-mini' } })
 *   // → { author: { author: 'agent', turn: 't1', model: 'gpt-4o-mini' }, review: null }
 */
export function agentCellInfo(metadata: JSONObject): AgentCellInfo {
  const cellmate = asObject(metadata['cellmate']);
  if (!cellmate) return { author: null, review: null };
  const { author, turn, model, client } = cellmate;
  const isAgent = author === 'agent' && typeof turn === 'string' && typeof model === 'string';
  const review = asObject(cellmate['review']);
  const previous = review?.['previous_source'];
  const reviewTurn = review?.['turn'];
  const reviewModel = review?.['model'];
  return {
    author: isAgent ? { author: 'agent', turn, model, ...(typeof client === 'string' ? { client } : {}) } : null,
    review:
      typeof previous === 'string' && typeof reviewTurn === 'string'
        ? {
            previousSource: previous,
            turn: reviewTurn,
            model: typeof reviewModel === 'string' && reviewModel ? reviewModel : null,
            runOnAccept: review?.['run_on_accept'] === true,
          }
        : null,
  };
}
