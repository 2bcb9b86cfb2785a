/**
 * zod schemas for what crosses an edge: WebSocket frames, REST bodies, edits sent by a client. Inside the
 * server, the inferred types are trusted.
 */
import { z } from 'zod';
import { CellId } from './ids.ts';
import type { CellDoc, JSONObject, NotebookDoc, Output } from './notebook.ts';
import type { NotebookEdit } from './edits.ts';

export const cellIdSchema = z.string().refine(CellId.is, 'a cell id is 1–64 letters, digits, - or _').transform(CellId.from);

const jsonObject = z.record(z.string(), z.json()) as unknown as z.ZodType<JSONObject>;
const mimeBundle = z.record(z.string(), z.json());

export const outputSchema: z.ZodType<Output> = z.discriminatedUnion('output_type', [
  z.object({ output_type: z.literal('stream'), name: z.enum(['stdout', 'stderr']), text: z.string(), extra: jsonObject.optional() }),
  z.object({
    output_type: z.literal('display_data'),
    data: mimeBundle,
    metadata: jsonObject,
    transient: z.object({ display_id: z.string().optional() }).optional(),
    extra: jsonObject.optional(),
  }),
  z.object({
    output_type: z.literal('execute_result'),
    execution_count: z.number().int().nullable(),
    data: mimeBundle,
    metadata: jsonObject,
    extra: jsonObject.optional(),
  }),
  z.object({
    output_type: z.literal('error'),
    ename: z.string(),
    evalue: z.string(),
    traceback: z.array(z.string()),
    extra: jsonObject.optional(),
  }),
]) as unknown as z.ZodType<Output>;

export const cellTypeSchema = z.enum(['code', 'markdown', 'raw']);

const cellBase = { id: cellIdSchema, source: z.string(), metadata: jsonObject, extra: jsonObject.optional() };
export const cellSchema: z.ZodType<CellDoc> = z.discriminatedUnion('cell_type', [
  z.object({
    ...cellBase,
    cell_type: z.literal('code'),
    execution_count: z.number().int().nullable(),
    outputs: z.array(outputSchema),
  }),
  z.object({ ...cellBase, cell_type: z.literal('markdown'), attachments: jsonObject.optional() }),
  z.object({ ...cellBase, cell_type: z.literal('raw'), attachments: jsonObject.optional() }),
]) as unknown as z.ZodType<CellDoc>;

export const notebookDocSchema: z.ZodType<NotebookDoc> = z.object({
  nbformat: z.number().int(),
  nbformat_minor: z.number().int(),
  metadata: jsonObject,
  cells: z.array(cellSchema),
  extra: jsonObject.optional(),
}) as unknown as z.ZodType<NotebookDoc>;

const index = z.number().int().min(0);
export const notebookEditSchema: z.ZodType<NotebookEdit> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('insert_cell'), index, cell: cellSchema }),
  z.object({ type: z.literal('delete_cell'), id: cellIdSchema }),
  z.object({ type: z.literal('move_cell'), id: cellIdSchema, index }),
  z.object({ type: z.literal('set_source'), id: cellIdSchema, source: z.string() }),
  z.object({ type: z.literal('set_cell_type'), id: cellIdSchema, cell_type: cellTypeSchema }),
  z.object({ type: z.literal('set_outputs'), id: cellIdSchema, outputs: z.array(outputSchema) }),
  z.object({ type: z.literal('set_execution_count'), id: cellIdSchema, execution_count: z.number().int().nullable() }),
  z.object({ type: z.literal('clear_outputs'), ids: z.array(cellIdSchema) }),
  z.object({ type: z.literal('set_cell_metadata'), id: cellIdSchema, metadata: jsonObject }),
  z.object({ type: z.literal('set_notebook_metadata'), metadata: jsonObject }),
  z.object({ type: z.literal('replace_document'), doc: notebookDocSchema }),
]) as unknown as z.ZodType<NotebookEdit>;
