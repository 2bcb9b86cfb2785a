/**
 * The agent's contract with its clients: the events of a turn (streamed to the chat panel and over SSE), the
 * conversation as the notebook keeps it in `metadata.cellmate.conversation`, and the body of an agent request.
 * Pure data and zod schemas: `web/` imports this file too.
 */
import { z } from 'zod';
import type { CellId } from './ids.ts';
import type { JSONObject, JSONValue } from './notebook.ts';

/** Tokens reported by the provider, summed over every request of one turn. */
export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Why a turn ended before the model gave its answer. */
export type AgentStopReason = 'aborted' | 'max_steps' | 'timeout' | 'max_tokens' | 'error';

/** What went wrong with the model provider, as a code the UI can act on (e.g. link to settings on `auth`). */
export type AgentErrorCode =
  | 'not_configured'
  | 'auth'
  | 'model_not_found'
  | 'rate_limited'
  | 'server_error'
  | 'connection'
  | 'stream_dropped'
  | 'context_length'
  | 'bad_request'
  | 'timeout'
  | 'unknown';

/** How a tool changed a cell. */
export type CellChange = 'added' | 'edited' | 'deleted' | 'ran';

/**
 * Everything that happens during one agent turn, in order. Every event carries the turn id. A turn always ends
 * with exactly one `done` (after an `error` too), so a client can close its stream on it.
 */
export type AgentEvent =
  | { type: 'turn_start'; turn: string; model: string; prompt: string }
  /** A piece of the model's reply text, as it streams. */
  | { type: 'text_delta'; turn: string; text: string }
  /**
   * A piece of a tool call's arguments while the model writes them (lets the UI show a cell filling in).
   * `index` identifies the call within the current step; `name` comes with the first piece.
   */
  | { type: 'tool_call_delta'; turn: string; step: number; index: number; name?: string; arguments_delta: string }
  /** A complete tool call, about to run. `args` is the parsed JSON, or the raw text when it does not parse. */
  | { type: 'tool_call'; turn: string; call_id: string; name: string; args: JSONValue }
  | { type: 'tool_result'; turn: string; call_id: string; name: string; ok: boolean; summary: string }
  | { type: 'cell_changed'; turn: string; cell_id: CellId; change: CellChange }
  /** The turn's usage so far (accumulated, not a delta). */
  | { type: 'usage'; turn: string; usage: TokenUsage }
  | { type: 'error'; turn: string; code: AgentErrorCode; message: string }
  | {
      type: 'done';
      turn: string;
      /** All text the model wrote in this turn, paragraphs joined by a blank line. */
      reply: string;
      cells_changed: CellId[];
      usage: TokenUsage;
      stopped?: true;
      stop_reason?: AgentStopReason;
    };

export type AgentEventType = AgentEvent['type'];

/** The body of `POST /api/notebooks/{path}/agent`. */
export const agentRequestSchema = z.object({
  prompt: z.string().trim().min(1, 'a prompt is required').max(100_000),
  model: z.string().min(1).optional(),
});
export type AgentRequest = z.infer<typeof agentRequestSchema>;

const usageSchema = z.object({
  prompt_tokens: z.number().int().min(0),
  completion_tokens: z.number().int().min(0),
  total_tokens: z.number().int().min(0),
});

/**
 * One entry of the persisted conversation. Compact on purpose: tool calls keep a short summary, not their full
 * arguments and outputs (the notebook itself holds the cells and outputs).
 */
export const conversationEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), turn: z.string(), text: z.string(), at: z.string().optional() }),
  z.object({ kind: z.literal('assistant'), turn: z.string(), text: z.string(), model: z.string().optional() }),
  z.object({
    kind: z.literal('tool'),
    turn: z.string(),
    name: z.string(),
    /** The arguments, shortened (e.g. `{"id":"ab12"}` or the first line of a cell's source). */
    args: z.string(),
    ok: z.boolean(),
    summary: z.string(),
  }),
  z.object({
    kind: z.literal('turn_end'),
    turn: z.string(),
    usage: usageSchema,
    cells_changed: z.array(z.string()),
    stop_reason: z.enum(['aborted', 'max_steps', 'timeout', 'max_tokens', 'error']).optional(),
    error: z.string().optional(),
  }),
]);
export type ConversationEntry = z.infer<typeof conversationEntrySchema>;

/**
 * Reads `metadata.cellmate.conversation` from a notebook's metadata. Entries that don't fit the schema (a file
 * edited by hand, a newer version) are skipped, never fatal: a notebook must open whatever its metadata holds.
 */
export function conversationFromMetadata(metadata: JSONObject): ConversationEntry[] {
  const cellmate = metadata['cellmate'];
  if (!cellmate || typeof cellmate !== 'object' || Array.isArray(cellmate)) return [];
  const list = cellmate['conversation'];
  if (!Array.isArray(list)) return [];
  const entries: ConversationEntry[] = [];
  for (const item of list) {
    const parsed = conversationEntrySchema.safeParse(item);
    if (parsed.success) entries.push(parsed.data);
  }
  return entries;
}

function entryToJSON(entry: ConversationEntry): JSONObject {
  // A round trip through JSON drops `undefined` fields, which neither JSON nor the .ipynb can hold; the entry is
  // plain data built from strings, numbers and booleans, so the result is a JSON object.
  return JSON.parse(JSON.stringify(entry)) as JSONObject;
}

/**
 * Returns new notebook metadata holding `conversation` in `metadata.cellmate.conversation`, keeping every other
 * key (of `metadata` and of `metadata.cellmate`). Apply it with a `set_notebook_metadata` edit.
 */
export function withConversation(metadata: JSONObject, conversation: readonly ConversationEntry[]): JSONObject {
  const current = metadata['cellmate'];
  const cellmate: JSONObject = current && typeof current === 'object' && !Array.isArray(current) ? { ...current } : {};
  cellmate['conversation'] = conversation.map(entryToJSON);
  return { ...metadata, cellmate };
}

/** The `metadata.cellmate` the agent puts on cells it writes. */
export interface AgentCellMetadata {
  author: 'agent';
  /** The turn that wrote (or last edited) the cell. */
  turn: string;
  model: string;
}
