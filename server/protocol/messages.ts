/**
 * The notebook WebSocket (`/api/notebooks/:path/ws`): one socket per open tab. The server sends a snapshot on
 * connect, then every edit (from anyone, in the server's order), runtime and kernel changes. A client sends its
 * own edits with a sequence number; the echo carries `origin` so the sender can recognise it.
 */
import { z } from 'zod';
import type { EditSource, CellRuntime, KernelInfo, NotebookDoc } from './notebook.ts';
import type { CellId, ClientId } from './ids.ts';
import type { NotebookEdit } from './edits.ts';
import type { AgentEvent } from './agent.ts';
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
  /** Restart the kernel, then run every code cell in order (JupyterLab's "Restart Kernel and Run All Cells"). */
  z.object({ type: z.literal('restart_run_all') }),
  z.object({ type: z.literal('ping') }),
  /** Ask the assistant; `model` overrides the configured one for this turn. */
  z.object({ type: z.literal('agent_prompt'), prompt: z.string().trim().min(1).max(100_000), model: z.string().min(1).optional() }),
  /** Stop the running turn at once (aborts the model stream, interrupts a running cell). */
  z.object({ type: z.literal('agent_stop') }),
  /** Undo one agent turn: the cells it added, edited or deleted go back to how they were before it. */
  z.object({ type: z.literal('agent_undo'), turn: z.string().min(1) }),
  /**
   * Settle the agent's change to a cell the person wrote (marked `metadata.cellmate.review`): accept keeps the
   * new source, reject restores the previous one.
   */
  z.object({ type: z.literal('agent_review'), cell_id: cellIdSchema, decision: z.enum(['accept', 'reject']) }),
  /**
   * Settle a conflict with the file on disk (see `DiskConflict`): `keep_mine` writes this notebook over the
   * disk's version; `load_disk` replaces this notebook with the disk's version (unsaved changes are dropped).
   */
  z.object({ type: z.literal('resolve_conflict'), choice: z.enum(['keep_mine', 'load_disk']) }),
  /** The line typed for a cell waiting for input (its runtime has `input`); the first answer wins. */
  z.object({ type: z.literal('input_reply'), cell_id: cellIdSchema, value: z.string().max(1_000_000) }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export interface EditOrigin {
  client_id: ClientId;
  seq: number;
}

/** The assistant's state in a notebook, sent in the snapshot and whenever it changes. */
export interface AgentState {
  /** The turn running now, with its events so far (so a tab opened mid-turn can show it). */
  running?: { turn: string; events: AgentEvent[] };
  /** Turns that can still be undone (newest last). */
  undoable: string[];
}

/**
 * The notebook's file was changed (or deleted) on disk by another program while this notebook had unsaved
 * changes. Nothing is saved until a person chooses (`resolve_conflict`); nothing is overwritten silently.
 */
export interface DiskConflict {
  disk: 'modified' | 'deleted';
  /** When the disk's version was written (ISO), if there is one. */
  last_modified?: string;
}

export type ServerMessage =
  | {
      type: 'snapshot';
      client_id: ClientId;
      path: string;
      doc: NotebookDoc;
      runtime: Record<string, CellRuntime>;
      kernel: KernelInfo;
      agent: AgentState;
      /** Present while the file on disk conflicts with this notebook. */
      conflict?: DiskConflict;
      /** Present while saves fail (a full or read-only disk): why, in words. */
      save_error?: string;
    }
  /** One event of the running turn, to every tab. */
  | { type: 'agent'; event: AgentEvent }
  | { type: 'agent_state'; agent: AgentState }
  | { type: 'edit'; edit: NotebookEdit; source: EditSource; origin?: EditOrigin }
  | { type: 'runtime'; cell_id: CellId; runtime: CellRuntime }
  | { type: 'kernel'; kernel: KernelInfo }
  /** The notebook is on disk as it is now; ends a `save_failed` state. */
  | { type: 'saved'; last_modified: string }
  /**
   * A save failed (a full disk, a read-only folder…): the changes are kept in the server, and another save is
   * tried by itself in `retry_in_ms` (absent: at the next change). Until `saved`, the file on disk is older.
   */
  | { type: 'save_failed'; message: string; retry_in_ms?: number }
  | { type: 'error'; message: string; origin?: EditOrigin }
  | { type: 'pong' }
  /** A conflict with the file on disk began or changed; `null`: it is settled. */
  | { type: 'conflict'; conflict: DiskConflict | null }
  /**
   * The notebook was closed because its file was moved (to `path`: open it there) or deleted; the socket closes
   * next. Its kernel was shut down.
   */
  | { type: 'closed'; reason: 'moved' | 'deleted'; path?: string };
