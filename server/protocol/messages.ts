/**
 * The notebook WebSocket (`/api/notebooks/:path/ws`): one socket per open tab. The server sends a snapshot on
 * connect, then every edit (from anyone, in the server's order), runtime and kernel changes. A client sends its
 * own edits with a sequence number; the echo carries `origin` so the sender can recognise it.
 */
import * as z from 'zod/mini';
import { cellRuntimeSchema, editSourceSchema, kernelInfoSchema, notebookDocSchema } from './notebook.ts';
import { cellIdSchema, clientIdSchema } from './ids.ts';
import { agentEventSchema } from './agent.ts';
import { agentTurnFields } from './agent-context.ts';
import { notebookEditSchema } from './schemas.ts';
import { textPullSchema, textResetMessageSchema, textUpdateMessageSchema, textUpdateRequestSchema, textUpdatesMessageSchema } from './text.ts';

export const clientMessageSchema = z.discriminatedUnion('type', [
  /**
   * `seq` increases per client; `source` tells a keyboard shortcut from a button. Consecutive edits of one
   * client with the same `group` (a merge, split, paste, replace-all) are one undo step, even whole-text ones.
   */
  z.object({
    type: z.literal('edit'),
    seq: z.int().check(z.minimum(0)),
    edit: notebookEditSchema,
    source: z._default(z.enum(['ui', 'keyboard']), 'ui'),
    group: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  }),
  z.object({ type: z.literal('execute'), cell_ids: z.array(cellIdSchema).check(z.minLength(1)) }),
  z.object({ type: z.literal('interrupt') }),
  z.object({ type: z.literal('restart') }),
  /** Restart the kernel, then run every code cell in order (JupyterLab's "Restart Kernel and Run All Cells"). */
  z.object({ type: z.literal('restart_run_all') }),
  z.object({ type: z.literal('ping') }),
  /** Ask the assistant; `model` overrides the configured one for this turn. */
  z.object({
    type: z.literal('agent_prompt'),
    prompt: z.string().check(z.trim(), z.minLength(1), z.maxLength(100_000)),
    model: z.optional(z.string().check(z.minLength(1))),
    /** A one-click Fix or Explain, and what is attached by name (see `agent-context.ts`). */
    ...agentTurnFields,
  }),
  /** Stop the running turn at once (aborts the model stream, interrupts a running cell). */
  z.object({ type: z.literal('agent_stop') }),
  /** Undo one agent turn: the cells it added, edited or deleted go back to how they were before it. */
  z.object({ type: z.literal('agent_undo'), turn: z.string().check(z.minLength(1)) }),
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
  z.object({ type: z.literal('input_reply'), cell_id: cellIdSchema, value: z.string().check(z.maxLength(1_000_000)) }),
  /**
   * Undo (redo) the last cell operation people made in this notebook (insert, delete, move, change type, and
   * the merges, splits and pastes made of them), from any tab: one step, which every tab sees as edits.
   */
  z.object({ type: z.literal('undo'), source: z._default(z.enum(['ui', 'keyboard']), 'ui') }),
  z.object({ type: z.literal('redo'), source: z._default(z.enum(['ui', 'keyboard']), 'ui') }),
  /**
   * Changes typed into a cell, each on top of the one before, made when the cell was at `version` (text.ts).
   * The server rebases them over what it accepted since and sends each as a `text_update`; changes it already
   * has are dropped, so sending them again is safe. Too far behind: the answer is a `text_reset`.
   */
  textUpdateRequestSchema,
  /** What this tab missed of a cell's text since `version` (after a reconnect): answered with `text_updates`. */
  textPullSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const editOriginSchema = z.object({ client_id: clientIdSchema, seq: z.int().check(z.minimum(0)) });
export type EditOrigin = z.infer<typeof editOriginSchema>;

const countSchema = z.int().check(z.minimum(0));

/** An undoable turn of an agent outside Cellmate (an MCP session): who, and how many cells it changed so far. */
export const externalTurnSchema = z.object({
  turn: z.string(),
  /** The name the MCP client gave. */
  client: z.string(),
  added: countSchema,
  edited: countSchema,
  deleted: countSchema,
});
export type ExternalTurn = z.infer<typeof externalTurnSchema>;

/** The assistant's state in a notebook, sent in the snapshot and whenever it changes. */
export const agentStateSchema = z.object({
  /** The turn running now, with its events so far (so a tab opened mid-turn can show it). */
  running: z.optional(z.object({ turn: z.string(), events: z.array(agentEventSchema) })),
  /** Turns that can still be undone (newest last). */
  undoable: z.array(z.string()),
  /** Those of `undoable` made by agents outside Cellmate, oldest first; absent when there are none. */
  external: z.optional(z.array(externalTurnSchema)),
});
export type AgentState = z.infer<typeof agentStateSchema>;

/**
 * The notebook's file was changed (or deleted) on disk by another program while this notebook had unsaved
 * changes. Nothing is saved until a person chooses (`resolve_conflict`); nothing is overwritten silently.
 */
export const diskConflictSchema = z.object({
  disk: z.enum(['modified', 'deleted']),
  /** When the disk's version was written (ISO), if there is one. */
  last_modified: z.optional(z.string()),
});
export type DiskConflict = z.infer<typeof diskConflictSchema>;

/** The notebook as it is now, sent first on every connection (and again when a tab must start over). */
export const snapshotMessageSchema = z.object({
  type: z.literal('snapshot'),
  client_id: clientIdSchema,
  path: z.string(),
  doc: notebookDocSchema,
  runtime: z.record(z.string(), cellRuntimeSchema),
  kernel: kernelInfoSchema,
  /** Absent from a server without the assistant: the same as an idle assistant. */
  agent: z._default(agentStateSchema, () => ({ undoable: [] })),
  /** Present while the file on disk conflicts with this notebook. */
  conflict: z.optional(diskConflictSchema),
  /** Present while saves fail (a full or read-only disk): why, in words. */
  save_error: z.optional(z.string()),
  /** Each cell's text version where it is not 0 (see `text_update`). */
  text_versions: z.optional(z.record(z.string(), z.int().check(z.minimum(0)))),
});
export type SnapshotMessage = z.infer<typeof snapshotMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  snapshotMessageSchema,
  /** One event of the running turn, to every tab. */
  z.object({ type: z.literal('agent'), event: agentEventSchema }),
  z.object({ type: z.literal('agent_state'), agent: agentStateSchema }),
  z.object({ type: z.literal('edit'), edit: notebookEditSchema, source: editSourceSchema, origin: z.optional(editOriginSchema) }),
  /**
   * One accepted change of a cell's text, to every tab, in order: the cell is now at `version`. A whole-text
   * `set_source` edit is sent as its minimal change too, just before the edit.
   */
  textUpdateMessageSchema,
  /** The answer to `text_pull`: the changes after the version asked for (maybe none). */
  textUpdatesMessageSchema,
  /** This tab's view of a cell's text is too old to rebase: start again from `source` at `version`. */
  textResetMessageSchema,
  z.object({ type: z.literal('runtime'), cell_id: cellIdSchema, runtime: cellRuntimeSchema }),
  z.object({ type: z.literal('kernel'), kernel: kernelInfoSchema }),
  /** The notebook is on disk as it is now; ends a `save_failed` state. */
  z.object({ type: z.literal('saved'), last_modified: z.string() }),
  /**
   * A save failed (a full disk, a read-only folder…): the changes are kept in the server, and another save is
   * tried by itself in `retry_in_ms` (absent: at the next change). Until `saved`, the file on disk is older.
   */
  z.object({ type: z.literal('save_failed'), message: z.string(), retry_in_ms: z.optional(z.number().check(z.minimum(0))) }),
  z.object({ type: z.literal('error'), message: z.string(), origin: z.optional(editOriginSchema) }),
  z.object({ type: z.literal('pong') }),
  /** A conflict with the file on disk began or changed; `null`: it is settled. */
  z.object({ type: z.literal('conflict'), conflict: z.nullable(diskConflictSchema) }),
  /**
   * The notebook was closed because its file was moved (to `path`: open it there) or deleted; the socket closes
   * next. Its kernel was shut down.
   */
  z.object({ type: z.literal('closed'), reason: z.enum(['moved', 'deleted']), path: z.optional(z.string()) }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
