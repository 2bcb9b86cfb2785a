/**
 * What a prompt may carry besides its text: the kind of turn (a plain question, a one-click Fix or Explain of a
 * cell) and the things attached by name (`@` in the composer, a selection of cells), as references. The server
 * reads what they name itself (files through the workspace's path checks, variables from the running kernel,
 * cells from the document) and sends the model a bounded form of each: a client never supplies the content.
 * Also the answer of `GET /api/notebooks/{path}/agent/mentions`, what `@` can complete.
 */
import * as z from 'zod/mini';
import { cellIdSchema } from './ids.ts';

/** The most things one prompt may attach. */
export const MAX_ATTACHMENTS = 8;

/**
 * A thing attached to a prompt: a workspace file (workspace-relative path), a kernel variable (a Python name,
 * optionally dotted), or a cell (its id; the person sees its number).
 */
export const contextRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), path: z.string().check(z.minLength(1), z.maxLength(1024)) }),
  z.strictObject({ kind: z.literal('variable'), name: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'a Python name')) }),
  z.strictObject({ kind: z.literal('cell'), id: cellIdSchema }),
]);
export type ContextRef = z.infer<typeof contextRefSchema>;

/** What the turn shows of a thing attached to its prompt, once sent: its kind and name (a file's name, `cell 3`). */
export const attachedNameSchema = z.object({ kind: z.enum(['file', 'variable', 'cell']), name: z.string() });
export type AttachedName = z.infer<typeof attachedNameSchema>;

/** The names of what a prompt attaches, as the composer's chips say them (a cell by its number in `cellIds`). */
export function attachedNames(refs: readonly ContextRef[], cellIds: readonly string[]): AttachedName[] {
  return refs.map((ref) => {
    if (ref.kind === 'file') return { kind: 'file', name: ref.path.split('/').at(-1) || ref.path };
    if (ref.kind === 'variable') return { kind: 'variable', name: ref.name };
    const index = cellIds.indexOf(ref.id);
    return { kind: 'cell', name: index >= 0 ? `cell ${index + 1}` : 'a cell' };
  });
}

/**
 * `ask` (the default): the full assistant. `fix`: a turn scoped to `cell_id`, whose only change is a proposal of
 * that cell's new source, shown as a diff to accept (then the cell runs) or reject. `explain`: a turn that can
 * read but neither change nor run anything, about `cell_id`.
 */
export const agentModeSchema = z.enum(['ask', 'fix', 'explain']);
export type AgentMode = z.infer<typeof agentModeSchema>;

/** The fields a prompt adds to its text (the REST body and the `agent_prompt` socket message share them). */
export const agentTurnFields = {
  mode: z.optional(agentModeSchema),
  /** The cell a `fix` or `explain` turn is about (required for `fix`). */
  cell_id: z.optional(cellIdSchema),
  context: z.optional(z.array(contextRefSchema).check(z.maxLength(MAX_ATTACHMENTS))),
};

/** Why the variables of `mentions` are what they are (as for the editor's completions: no kernel is started). */
export const mentionVariablesStatusSchema = z.enum(['ok', 'no_kernel', 'busy', 'timeout', 'error']);

/** `GET /api/notebooks/{path}/agent/mentions`: what `@` offers (the files of the notebook's folder, the kernel's variables). */
export const mentionsSchema = z.object({
  files: z.array(z.object({ path: z.string(), name: z.string(), size: z.number(), kind: z.enum(['file', 'directory']) })),
  variables: z.array(z.object({ name: z.string(), type: z.string(), summary: z.string() })),
  variables_status: mentionVariablesStatusSchema,
});
export type Mentions = z.infer<typeof mentionsSchema>;
