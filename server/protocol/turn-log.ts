/**
 * Exactly what a turn sent to the model, kept after it ends: every request's messages (the system prompt with
 * the project's rules, the replayed history, the prompt with the notebook's overview, tool results as shaped,
 * attached images) and the tool definitions. A message sent again by a later request is stored once (`messages`)
 * and named by its index (`requests[].sent`). Kept apart from the notebook, in `<workspace>/.cellmate/turns/`,
 * since it is far larger than the conversation the notebook carries.
 * Pure data and zod schemas: `web/` imports this file too.
 */
import * as z from 'zod/mini';
import { tokenUsageSchema } from './agent.ts';
import { jsonValueSchema } from './notebook.ts';

/** Characters one turn's log may keep; past it, messages keep their role and say how long they were. */
export const TURN_LOG_MAX_CHARS = 4_000_000;

export const turnIdSchema = z.string().check(z.regex(/^t-[0-9a-f]{8}$/, 'a turn id looks like t-1a2b3c4d'));

export const loggedRequestSchema = z.object({
  step: z.int(),
  /** Indices into the log's `messages`, in the order they were sent. */
  sent: z.array(z.int()),
  /** What the provider reported for this request; null when it reported nothing (or the request failed). */
  usage: z.nullable(tokenUsageSchema),
});
export type LoggedRequest = z.infer<typeof loggedRequestSchema>;

export const turnLogSchema = z.object({
  turn: turnIdSchema,
  /** The notebook's path when the turn ran. */
  notebook: z.string(),
  conversation: z.string(),
  model: z.string(),
  started_at: z.string(),
  /** The tool definitions every request carried. */
  tools: z.array(jsonValueSchema),
  /** Each distinct message, as sent (a message past the size bound: `{ role, omitted_chars }`). */
  messages: z.array(jsonValueSchema),
  requests: z.array(loggedRequestSchema),
  /** Some messages were left out to keep the log bounded. */
  truncated: z.boolean(),
});
export type TurnLog = z.infer<typeof turnLogSchema>;
