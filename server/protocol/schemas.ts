/**
 * zod schemas for what crosses an edge: WebSocket frames, REST bodies, edits sent by a client. Inside the
 * server, the inferred types are trusted. The notebook model's schemas live beside it (notebook.ts).
 */
import * as z from 'zod/mini';
import { cellIdSchema } from './ids.ts';
import { cellSchema, cellTypeSchema, jsonObjectSchema, notebookDocSchema, outputSchema } from './notebook.ts';

export { cellIdSchema, clientIdSchema } from './ids.ts';
export { cellSchema, cellTypeSchema, notebookDocSchema, outputSchema } from './notebook.ts';

const index = z.int().check(z.minimum(0));
export const notebookEditSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('insert_cell'), index, cell: cellSchema }),
  z.object({ type: z.literal('delete_cell'), id: cellIdSchema }),
  z.object({ type: z.literal('move_cell'), id: cellIdSchema, index }),
  z.object({ type: z.literal('set_source'), id: cellIdSchema, source: z.string() }),
  z.object({ type: z.literal('set_cell_type'), id: cellIdSchema, cell_type: cellTypeSchema }),
  z.object({ type: z.literal('set_outputs'), id: cellIdSchema, outputs: z.array(outputSchema) }),
  z.object({ type: z.literal('set_execution_count'), id: cellIdSchema, execution_count: z.nullable(z.int()) }),
  z.object({ type: z.literal('clear_outputs'), ids: z.array(cellIdSchema) }),
  z.object({ type: z.literal('set_cell_metadata'), id: cellIdSchema, metadata: jsonObjectSchema }),
  z.object({ type: z.literal('set_notebook_metadata'), metadata: jsonObjectSchema }),
  z.object({ type: z.literal('replace_document'), doc: notebookDocSchema }),
]);
