/**
 * Inline completion: ghost text in a code cell's editor, written by the configured model
 * (`POST /api/notebooks/{path}/inline-complete`), and its setting (`GET | PUT /api/agent/inline-completion`).
 * Positions are in Unicode code points, as for the kernel's completions (code-points.ts).
 *
 * `mode` says how the model is asked: `off` (the default: the endpoint refuses, the page never asks), `fim`
 * (fill in the middle: the OpenAI-compatible `completions` endpoint with `prompt` and `suffix`, which servers
 * such as Ollama and vLLM offer for code models), `chat` (a chat completion told to answer with the code to
 * insert only, for servers and models without FIM).
 */
import * as z from 'zod/mini';
import { cellIdSchema } from './ids.ts';

export const inlineCompletionModeSchema = z.enum(['off', 'chat', 'fim']);
export type InlineCompletionMode = z.infer<typeof inlineCompletionModeSchema>;

/** The cell being typed in, its text as the editor shows it, and the cursor in it (code points). */
export const inlineCompleteRequestSchema = z.strictObject({
  cell_id: cellIdSchema,
  code: z.string(),
  cursor_pos: z.int().check(z.minimum(0)),
});
export type InlineCompleteRequest = z.infer<typeof inlineCompleteRequestSchema>;

/** One suggestion to insert at the cursor, as plain text (empty: the model had none). */
export const inlineCompletionSchema = z.object({
  text: z.string(),
  mode: z.enum(['chat', 'fim']),
  model: z.string(),
});
export type InlineCompletion = z.infer<typeof inlineCompletionSchema>;

/** `GET | PUT /api/agent/inline-completion` answer. */
export const inlineCompletionSettingSchema = z.object({ mode: inlineCompletionModeSchema });
/** `PUT /api/agent/inline-completion` body. */
export const inlineCompletionChangeSchema = z.strictObject({ mode: inlineCompletionModeSchema });
export type InlineCompletionSetting = z.infer<typeof inlineCompletionSettingSchema>;
