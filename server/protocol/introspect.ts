/**
 * What a cell's editor asks the notebook's kernel: completions (`POST /api/notebooks/{path}/complete`, Jupyter's
 * `complete_request`) and the documentation of the name at the cursor (`POST …/inspect`, `inspect_request`).
 * Positions are counted in Unicode code points, as the Jupyter protocol (5.2+) counts them, not in UTF-16 units.
 *
 * The kernel is never started for this: with no kernel running, or one busy with a cell (the request would wait
 * behind it), or one slower than a few seconds, the answer is empty at once and `status` says why.
 */
import * as z from 'zod/mini';
import { jsonObjectSchema, mimeBundleSchema } from './notebook.ts';

const position = z.int().check(z.minimum(0));

/** The code of the cell and the cursor in it (code points). */
export const completeRequestSchema = z.strictObject({ code: z.string(), cursor_pos: position });
export type CompleteRequest = z.infer<typeof completeRequestSchema>;

/** `detail_level` 1 asks for more (IPython adds the source); 0 by default. */
export const inspectRequestSchema = z.strictObject({
  code: z.string(),
  cursor_pos: position,
  detail_level: z.optional(z.union([z.literal(0), z.literal(1)])),
});
export type InspectRequest = z.infer<typeof inspectRequestSchema>;

/**
 * Why an answer is what it is: `ok` (the kernel answered), `no_kernel` (none runs: nothing is started for
 * this), `busy` (a cell is running), `timeout` (no answer in time), `error` (the kernel failed the request).
 */
export const introspectStatusSchema = z.enum(['ok', 'no_kernel', 'busy', 'timeout', 'error']);
export type IntrospectStatus = z.infer<typeof introspectStatusSchema>;

/** `complete_reply`: the text between `cursor_start` and `cursor_end` (code points) is replaced by a match. */
export const completionSchema = z.object({
  status: introspectStatusSchema,
  matches: z.array(z.string()),
  cursor_start: position,
  cursor_end: position,
  /** The kernel's extras, e.g. IPython's `_jupyter_types_experimental` (each match's type). */
  metadata: jsonObjectSchema,
});
export type Completion = z.infer<typeof completionSchema>;

/** `inspect_reply`: `data` is a mime bundle, usually `text/plain` with ANSI colours. */
export const inspectionSchema = z.object({
  status: introspectStatusSchema,
  found: z.boolean(),
  data: mimeBundleSchema,
  metadata: jsonObjectSchema,
});
export type Inspection = z.infer<typeof inspectionSchema>;

/** The empty answers, for when the kernel can't help. */
export function noCompletion(status: IntrospectStatus, cursorPos: number): Completion {
  return { status, matches: [], cursor_start: cursorPos, cursor_end: cursorPos, metadata: {} };
}

export function noInspection(status: IntrospectStatus): Inspection {
  return { status, found: false, data: {}, metadata: {} };
}
