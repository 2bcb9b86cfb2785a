/**
 * The notebook model. `NotebookDoc`/`CellDoc` are what an `.ipynb` stores (nbformat v4, with multiline strings
 * joined); `CellRuntime` and `KernelInfo` only live while the server runs and are never persisted as such.
 * Each shape is a zod schema and its type is inferred from it: a field is added in one place.
 */
import * as z from 'zod/mini';
import { CellId, cellIdSchema } from './ids.ts';

export type JSONPrimitive = string | number | boolean | null;
export type JSONValue = JSONPrimitive | JSONObject | JSONValue[];
export interface JSONObject {
  [key: string]: JSONValue;
}
/** Recursive types can't be inferred; these annotations (not casts) make the compiler check zod's JSON type against them. */
export const jsonValueSchema: z.ZodMiniType<JSONValue> = z.json();
export const jsonObjectSchema: z.ZodMiniType<JSONObject> = z.record(z.string(), z.json());

/** nbformat's mime bundle: text mime types hold strings (joined), JSON ones any JSON value. */
export const mimeBundleSchema = z.record(z.string(), jsonValueSchema);
export type MimeBundle = z.infer<typeof mimeBundleSchema>;

/**
 * Fields of an output this version does not model (a newer nbformat minor): kept as they came. An `extra` holding
 * `output_type` stands for a whole output of a type the model lacks; it is written back as is (server/store/).
 */
const outputBase = { extra: z.optional(jsonObjectSchema) };
export const streamOutputSchema = z.object({
  ...outputBase,
  output_type: z.literal('stream'),
  name: z.enum(['stdout', 'stderr']),
  text: z.string(),
});
export const displayDataOutputSchema = z.object({
  ...outputBase,
  output_type: z.literal('display_data'),
  data: mimeBundleSchema,
  metadata: jsonObjectSchema,
  /** Runtime only: lets `update_display_data` find its target. Stripped on save. */
  transient: z.optional(z.object({ display_id: z.optional(z.string()) })),
});
export const executeResultOutputSchema = z.object({
  ...outputBase,
  output_type: z.literal('execute_result'),
  execution_count: z.nullable(z.int()),
  data: mimeBundleSchema,
  metadata: jsonObjectSchema,
});
export const errorOutputSchema = z.object({
  ...outputBase,
  output_type: z.literal('error'),
  ename: z.string(),
  evalue: z.string(),
  traceback: z.array(z.string()),
});
export const outputSchema = z.discriminatedUnion('output_type', [streamOutputSchema, displayDataOutputSchema, executeResultOutputSchema, errorOutputSchema]);
export type StreamOutput = z.infer<typeof streamOutputSchema>;
export type DisplayDataOutput = z.infer<typeof displayDataOutputSchema>;
export type ExecuteResultOutput = z.infer<typeof executeResultOutputSchema>;
export type ErrorOutput = z.infer<typeof errorOutputSchema>;
export type Output = z.infer<typeof outputSchema>;

export const cellTypeSchema = z.enum(['code', 'markdown', 'raw']);
export type CellType = z.infer<typeof cellTypeSchema>;

const cellBase = {
  id: cellIdSchema,
  source: z.string(),
  metadata: jsonObjectSchema,
  /**
   * Fields this version of nbformat does not know (a newer minor version): kept as they came. An `extra` holding
   * `cell_type` stands for a cell of a type the model lacks (shown as raw); it is written back as is.
   */
  extra: z.optional(jsonObjectSchema),
};
export const codeCellSchema = z.object({
  ...cellBase,
  cell_type: z.literal('code'),
  execution_count: z.nullable(z.int()),
  outputs: z.array(outputSchema),
});
export const markdownCellSchema = z.object({ ...cellBase, cell_type: z.literal('markdown'), attachments: z.optional(jsonObjectSchema) });
export const rawCellSchema = z.object({ ...cellBase, cell_type: z.literal('raw'), attachments: z.optional(jsonObjectSchema) });
export const cellSchema = z.discriminatedUnion('cell_type', [codeCellSchema, markdownCellSchema, rawCellSchema]);
export type CodeCellDoc = z.infer<typeof codeCellSchema>;
export type MarkdownCellDoc = z.infer<typeof markdownCellSchema>;
export type RawCellDoc = z.infer<typeof rawCellSchema>;
export type CellDoc = z.infer<typeof cellSchema>;

export const notebookDocSchema = z.object({
  nbformat: z.int(),
  nbformat_minor: z.int(),
  metadata: jsonObjectSchema,
  cells: z.array(cellSchema),
  /** Unknown top-level fields, kept for round trips. */
  extra: z.optional(jsonObjectSchema),
});
export type NotebookDoc = z.infer<typeof notebookDocSchema>;

/** Where a change came from: provenance for attribution and undo. */
export const editSourceSchema = z.enum(['ui', 'keyboard', 'agent', 'api', 'kernel', 'system']);
export type EditSource = z.infer<typeof editSourceSchema>;

export const cellRunStatusSchema = z.enum(['idle', 'queued', 'running', 'ok', 'error', 'aborted']);
export type CellRunStatus = z.infer<typeof cellRunStatusSchema>;
export const cellRuntimeSchema = z.object({
  status: cellRunStatusSchema,
  /** ms since epoch */
  started_at: z.optional(z.number()),
  ended_at: z.optional(z.number()),
  /** Why a run failed or was aborted when the outputs don't say (kernel died, interrupted before start…). */
  message: z.optional(z.string()),
  /**
   * The running cell waits for a line of input (`input()`, `getpass()`): show `prompt` and send the answer as
   * `input_reply` (hide what is typed when `password`). Gone once answered, or when no tab is left (EOF).
   */
  input: z.optional(z.object({ prompt: z.string(), password: z.boolean() })),
});
export type CellRuntime = z.infer<typeof cellRuntimeSchema>;

export const kernelStateSchema = z.enum(['not_started', 'starting', 'idle', 'busy', 'restarting', 'dead', 'disconnected']);
export type KernelState = z.infer<typeof kernelStateSchema>;
export const kernelInfoSchema = z.object({
  state: kernelStateSchema,
  /** kernelspec name, e.g. `python3` */
  name: z.optional(z.string()),
  /** A human sentence for the UI when something is wrong. */
  message: z.optional(z.string()),
});
export type KernelInfo = z.infer<typeof kernelInfoSchema>;

export function createCell(cell_type: CellType, source = '', id: CellId = CellId.create()): CellDoc {
  switch (cell_type) {
    case 'code':
      return { id, cell_type, source, metadata: {}, execution_count: null, outputs: [] };
    case 'markdown':
    case 'raw':
      return { id, cell_type, source, metadata: {} };
  }
}

/** A fresh notebook as JupyterLab makes one: one empty code cell, Python 3 kernelspec. */
export function createNotebook(): NotebookDoc {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python' },
    },
    cells: [createCell('code')],
  };
}
