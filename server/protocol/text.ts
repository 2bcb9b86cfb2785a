/**
 * Text edits that merge. A cell's text travels as changes against a numbered version of that cell, in the JSON
 * form of CodeMirror's `ChangeSet` (`ChangeSet.toJSON()`: a number keeps that many characters, `[n, ...lines]`
 * replaces n characters with the lines joined by "\n"). The server is the authority: it rebases a change made
 * against an older version over the ones accepted since (`@codemirror/collab`), applies it, and sends it to every
 * tab with the cell's new version. Pure data and zod only, like the rest of the protocol.
 *
 * @example
 *   // "ab" → "aXb": keep 1, insert "X", keep 1
 *   { type: 'text_update', cell_id, version: 3, client_id: 'k2j', changes: [1, [0, 'X'], 1] }
 */
import * as z from 'zod/mini';
import { cellIdSchema } from './ids.ts';

const length = z.int().check(z.minimum(0));
const version = z.int().check(z.minimum(0));

/** One `ChangeSet` as JSON (checked further by `ChangeSet.fromJSON` where it is applied). */
export const changeSetJsonSchema = z.array(z.union([length, z.tuple([length], z.string())])).check(z.maxLength(100_000));
export type ChangeSetJson = z.infer<typeof changeSetJsonSchema>;

/** Who made a change: a tab's editor names itself; whole-text replacements made in the server are `server`. */
const textClientId = z.string().check(z.minLength(1), z.maxLength(100));

/** One accepted change of a cell's text; `version` is the cell's version after it. */
export const textUpdateSchema = z.object({ version, client_id: textClientId, changes: changeSetJsonSchema });
export type TextUpdate = z.infer<typeof textUpdateSchema>;

/** What a tab sends: changes typed into a cell, each on top of the one before, made at `version`. */
export const textUpdateRequestSchema = z.object({
  type: z.literal('text_update'),
  cell_id: cellIdSchema,
  version,
  client_id: textClientId,
  changes: z.array(changeSetJsonSchema).check(z.minLength(1), z.maxLength(1000)),
});
/** `client_id`: the asking tab's, so a `text_reset` can say how many of its changes the server has. */
export const textPullSchema = z.object({ type: z.literal('text_pull'), cell_id: cellIdSchema, version, client_id: z.optional(textClientId) });

/** What the server sends: one accepted change (to every tab), what a tab missed, or "start again from here". */
export const textUpdateMessageSchema = z.extend(textUpdateSchema, { type: z.literal('text_update'), cell_id: cellIdSchema });
export type TextUpdateMessage = z.infer<typeof textUpdateMessageSchema>;
export const textUpdatesMessageSchema = z.object({ type: z.literal('text_updates'), cell_id: cellIdSchema, updates: z.array(textUpdateSchema) });
/** `accepted`: how many changes from the asking tab the server has applied to this cell (so it sends no change twice). */
export const textResetMessageSchema = z.object({
  type: z.literal('text_reset'),
  cell_id: cellIdSchema,
  version,
  source: z.string(),
  accepted: z.optional(version),
});

/** The client id of changes made in the server (the assistant, the REST API, undo, a reload from disk). */
export const SERVER_TEXT_CLIENT = 'server';

/** The shortest single replacement turning `before` into `after` (common prefix and suffix kept), or null. */
export function minimalChange(before: string, after: string): { from: number; to: number; insert: string } | null {
  if (before === after) return null;
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { from: start, to: endBefore, insert: after.slice(start, endAfter) };
}
