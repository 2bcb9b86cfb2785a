/**
 * The notebook WebSocket (`/api/notebooks/:path/ws`): one socket per open tab. The server sends a snapshot on
 * connect, then every edit (from anyone, in the server's order), runtime and kernel changes. A client sends its
 * own edits with a sequence number; the echo carries `origin` so the sender can recognise it.
 */
import { z } from 'zod';
import type { EditSource, CellRuntime, KernelInfo, NotebookDoc } from './notebook.ts';
import type { CellId, ClientId } from './ids.ts';
import type { NotebookEdit } from './edits.ts';
import { cellIdSchema, notebookEditSchema } from './schemas.ts';

export const clientMessageSchema = z.discriminatedUnion('type', [
  /** `seq` increases per client; `source` tells a keyboard shortcut from a button. */
  z.object({
    type: z.literal('edit'),
    seq: z.number().int().min(0),
    edit: notebookEditSchema,
    source: z.enum(['ui', 'keyboard']).default('ui'),
  }),
  z.object({ type: z.literal('execute'), cell_ids: z.array(cellIdSchema).min(1) }),
  z.object({ type: z.literal('interrupt') }),
  z.object({ type: z.literal('restart') }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export interface EditOrigin {
  client_id: ClientId;
  seq: number;
}

export type ServerMessage =
  | {
      type: 'snapshot';
      client_id: ClientId;
      path: string;
      doc: NotebookDoc;
      runtime: Record<string, CellRuntime>;
      kernel: KernelInfo;
    }
  | { type: 'edit'; edit: NotebookEdit; source: EditSource; origin?: EditOrigin }
  | { type: 'runtime'; cell_id: CellId; runtime: CellRuntime }
  | { type: 'kernel'; kernel: KernelInfo }
  | { type: 'saved'; last_modified: string }
  | { type: 'error'; message: string; origin?: EditOrigin }
  | { type: 'pong' };
