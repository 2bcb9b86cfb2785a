/**
 * The agent's contract with its clients: the events of a turn (streamed to the chat panel and over SSE), the
 * entries of a conversation as the notebook keeps them (see conversations.ts), and the body of an agent request.
 * Pure data and zod schemas: `web/` imports this file too.
 */
import * as z from 'zod/mini';
import { agentTurnFields, attachedNameSchema } from './agent-context.ts';
import { cellIdSchema } from './ids.ts';
import { jsonValueSchema } from './notebook.ts';

/** Tokens reported by the provider, summed over every request of one turn. */
export const tokenUsageSchema = z.object({
  prompt_tokens: z.int().check(z.minimum(0)),
  completion_tokens: z.int().check(z.minimum(0)),
  total_tokens: z.int().check(z.minimum(0)),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** Why a turn ended before the model gave its answer. */
export const agentStopReasonSchema = z.enum(['aborted', 'max_steps', 'timeout', 'max_tokens', 'error']);
export type AgentStopReason = z.infer<typeof agentStopReasonSchema>;

/** What went wrong with the model provider, as a code the UI can act on (e.g. link to settings on `auth`). */
export const agentErrorCodeSchema = z.enum([
  'not_configured',
  'auth',
  'model_not_found',
  'rate_limited',
  'server_error',
  'connection',
  'stream_dropped',
  'context_length',
  'bad_request',
  'timeout',
  'unknown',
]);
export type AgentErrorCode = z.infer<typeof agentErrorCodeSchema>;

/** How a tool changed a cell. */
export const cellChangeSchema = z.enum(['added', 'edited', 'deleted', 'ran']);
export type CellChange = z.infer<typeof cellChangeSchema>;

const turn = z.string();
/**
 * Everything that happens during one agent turn, in order. Every event carries the turn id. A turn always ends
 * with exactly one `done` (after an `error` too), so a client can close its stream on it.
 */
export const agentEventSchema = z.discriminatedUnion('type', [
  /** `attached`: the names of what the prompt attached (absent when nothing was). */
  z.object({ type: z.literal('turn_start'), turn, model: z.string(), prompt: z.string(), attached: z.optional(z.array(attachedNameSchema)) }),
  /** A piece of the model's reply text, as it streams. */
  z.object({ type: z.literal('text_delta'), turn, text: z.string() }),
  /**
   * A piece of a tool call's arguments while the model writes them (lets the UI show a cell filling in).
   * `index` identifies the call within the current step; `name` comes with the first piece.
   */
  z.object({
    type: z.literal('tool_call_delta'),
    turn,
    step: z.int().check(z.minimum(0)),
    index: z.int().check(z.minimum(0)),
    name: z.optional(z.string()),
    arguments_delta: z.string(),
  }),
  /** A complete tool call, about to run. `args` is the parsed JSON, or the raw text when it does not parse. */
  z.object({ type: z.literal('tool_call'), turn, call_id: z.string(), name: z.string(), args: jsonValueSchema }),
  z.object({ type: z.literal('tool_result'), turn, call_id: z.string(), name: z.string(), ok: z.boolean(), summary: z.string() }),
  z.object({ type: z.literal('cell_changed'), turn, cell_id: cellIdSchema, change: cellChangeSchema }),
  /** The turn's usage so far (accumulated, not a delta). */
  z.object({ type: z.literal('usage'), turn, usage: tokenUsageSchema }),
  z.object({ type: z.literal('error'), turn, code: agentErrorCodeSchema, message: z.string() }),
  z.object({
    type: z.literal('done'),
    turn,
    /** All text the model wrote in this turn, paragraphs joined by a blank line. */
    reply: z.string(),
    cells_changed: z.array(cellIdSchema),
    usage: tokenUsageSchema,
    /** Model requests whose usage the provider did not report: `usage` is then a lower bound, not the total. */
    unreported_usage: z.optional(z.int().check(z.minimum(0))),
    stopped: z.optional(z.literal(true)),
    stop_reason: z.optional(agentStopReasonSchema),
  }),
]);
export type AgentEvent = z.infer<typeof agentEventSchema>;

export type AgentEventType = AgentEvent['type'];

/** The body of `POST /api/notebooks/{path}/agent`. */
export const agentRequestSchema = z.object({
  prompt: z.string().check(z.trim(), z.minLength(1, 'a prompt is required'), z.maxLength(100_000)),
  model: z.optional(z.string().check(z.minLength(1))),
  /** A one-click turn and what is attached by name: see `agent-context.ts`. */
  ...agentTurnFields,
});
export type AgentRequest = z.infer<typeof agentRequestSchema>;

/**
 * One entry of the persisted conversation. Compact on purpose: tool calls keep a short summary, not their full
 * arguments and outputs (the notebook itself holds the cells and outputs).
 */
export const conversationEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), turn: z.string(), text: z.string(), at: z.optional(z.string()), attached: z.optional(z.array(attachedNameSchema)) }),
  z.object({ kind: z.literal('assistant'), turn: z.string(), text: z.string(), model: z.optional(z.string()) }),
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
    usage: tokenUsageSchema,
    cells_changed: z.array(z.string()),
    stop_reason: z.optional(agentStopReasonSchema),
    error: z.optional(z.string()),
    /** The model of the turn (entries written before it was kept name it only on their `assistant` entries). */
    model: z.optional(z.string()),
    /** Model requests whose usage the provider did not report: the turn's tokens are then a lower bound. */
    unreported_usage: z.optional(z.int().check(z.minimum(0))),
  }),
]);
export type ConversationEntry = z.infer<typeof conversationEntrySchema>;

/** The `metadata.cellmate` the agent puts on cells it writes. */
export interface AgentCellMetadata {
  author: 'agent';
  /** The turn that wrote (or last edited) the cell. */
  turn: string;
  model: string;
  /** An agent outside Cellmate (an MCP client) that wrote it, by the name it gave; absent for the assistant. */
  client?: string;
}
