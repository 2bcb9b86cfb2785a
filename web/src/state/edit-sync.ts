/**
 * How this tab's document converges with the server's, pure and free of Solid so it can be tested by
 * simulating clients and a server.
 *
 * The server applies every edit in one order and echoes it to every tab (with `origin` on the sender's own).
 * The tab shows the server's document with one difference: the text of cells it is typing in.
 *
 * - `set_source` is applied locally at once (typing can't wait for a round trip) and remembered per cell with
 *   its `seq`. While one of our `set_source` edits for a cell is unacknowledged, the server will apply it after
 *   anything it has sent us so far, so other tabs' `set_source` for that cell (and our own older echoes) are
 *   ignored; the echo of our last one is applied and ends the override.
 * - Every other edit changes structure and is applied only when its echo arrives, in the server's order, so it
 *   is never applied twice and never lands at an index computed against a different document.
 * - Nothing is lost while disconnected: unacknowledged edits are kept, and after the fresh snapshot of a
 *   reconnect they are resent (older `set_source` of the same cell, and edits the snapshot shows were already
 *   applied, are dropped), with our pending text laid over the snapshot until its echo.
 * - A command made of several edits (a merge, split, paste, replace-all) is sent as a `group`: each edit keeps
 *   its own `seq`, and the server keeps them as one undo step. Its edits are all applied when their echo
 *   arrives, its whole-text `set_source`s included: their text comes back first as a `text_update`, which
 *   merges with what is being typed, so the echo only confirms them (`acknowledge`). A reconnect resends the
 *   group's edits that the server may not have, each again with the group.
 */
import { applyEdit, type NotebookEdit } from '../../../server/protocol/edits.ts';
import type { CellId, ClientId } from '../../../server/protocol/ids.ts';
import type { EditOrigin } from '../../../server/protocol/messages.ts';
import type { NotebookDoc } from '../../../server/protocol/notebook.ts';

export type UiEditSource = 'ui' | 'keyboard';

/** The `edit` client message, kept until its echo (or error) arrives. */
export interface OutgoingEdit {
  type: 'edit';
  seq: number;
  edit: NotebookEdit;
  source: UiEditSource;
  /** Names the command this edit is part of: the server keeps the group's edits as one undo step. */
  group?: string;
}

export interface IncomingEdit {
  edit: NotebookEdit;
  origin?: EditOrigin;
}

/** After a server error about one of our edits: stay quiet, tell the user, or fetch a fresh snapshot. */
export type RejectionOutcome = 'ignore' | 'report' | 'resync';

interface PendingSource {
  seq: number;
  source: string;
}

export class EditSync {
  private clientId: ClientId | null = null;
  private nextSeq = 1;
  /** Sent (or waiting for a connection) and not yet echoed, in sending order (Maps keep insertion order). */
  private readonly unacked = new Map<number, OutgoingEdit>();
  /** Per cell, our last unacknowledged `set_source`. */
  private readonly pendingSource = new Map<CellId, PendingSource>();
  /** Resent after a reconnect: the server may have applied them before the drop, so their errors are expected. */
  private readonly replayed = new Set<number>();

  /** Edit messages the server has not confirmed yet. */
  get pendingCount(): number {
    return this.unacked.size;
  }

  /**
   * The same as changes a person would count: all the keystrokes typed into one cell are one change (only the
   * last `set_source` of a cell will be resent).
   */
  get pendingChanges(): number {
    let count = this.pendingSource.size;
    for (const message of this.unacked.values()) if (message.edit.type !== 'set_source' || message.group) count++;
    return count;
  }

  get id(): ClientId | null {
    return this.clientId;
  }

  /** Whether this cell's text is ours until the server catches up (useful to explain a remote edit not showing). */
  hasPendingSource(id: CellId): boolean {
    return this.pendingSource.has(id);
  }

  /**
   * Records a change made in this tab and returns the document to show now and the message to send.
   * Throws `EditError` when the edit doesn't fit the document shown (nothing is recorded then).
   */
  local(doc: NotebookDoc, edit: NotebookEdit, source: UiEditSource): { doc: NotebookDoc; message: OutgoingEdit } {
    // Applying first validates: an edit that can't apply here would only come back as an error.
    const applied = applyEdit(doc, edit);
    const message: OutgoingEdit = { type: 'edit', seq: this.nextSeq++, edit, source };
    this.unacked.set(message.seq, message);
    if (edit.type !== 'set_source') return { doc, message };
    this.pendingSource.set(edit.id, { seq: message.seq, source: edit.source });
    return { doc: applied, message };
  }

  /**
   * Records a command made of several edits, each made on the document the previous one leaves, and returns
   * the messages to send (one `seq` each, all in `group`). Nothing is shown before the server's echo. Throws
   * `EditError` when one doesn't fit (nothing is recorded then).
   */
  localGroup(doc: NotebookDoc, edits: readonly NotebookEdit[], source: UiEditSource, group: string): OutgoingEdit[] {
    edits.reduce((current, edit) => applyEdit(current, edit), doc);
    return edits.map((edit) => {
      const message: OutgoingEdit = { type: 'edit', seq: this.nextSeq++, edit, source, group };
      this.unacked.set(message.seq, message);
      return message;
    });
  }

  /**
   * The echo of a `set_source` whose text this tab gets as text changes instead: it confirms our edit if it is
   * one (and ends the override of a plain `set_source` of ours), without applying it.
   */
  acknowledge({ edit, origin }: IncomingEdit): void {
    if (origin === undefined || origin.client_id !== this.clientId) return;
    this.unacked.delete(origin.seq);
    this.replayed.delete(origin.seq);
    if (edit.type === 'set_source' && this.pendingSource.get(edit.id)?.seq === origin.seq) this.pendingSource.delete(edit.id);
  }

  /**
   * A fresh snapshot (first connect or reconnect). Returns the document to show (the snapshot with our pending
   * text over it) and the edits to send again, in their original order.
   */
  snapshot(doc: NotebookDoc, clientId: ClientId): { doc: NotebookDoc; resend: OutgoingEdit[] } {
    this.clientId = clientId;
    this.replayed.clear();
    const ids = new Set<string>(doc.cells.map((cell) => cell.id));
    const resend: OutgoingEdit[] = [];
    for (const message of this.unacked.values()) {
      if (this.isObsolete(message, ids)) {
        this.unacked.delete(message.seq);
        continue;
      }
      this.replayed.add(message.seq);
      resend.push(message);
    }
    return { doc: this.overlay(doc), resend };
  }

  /** An edit in the server's order. Throws `EditError` if it doesn't fit: the caller should resync. */
  receive(doc: NotebookDoc, { edit, origin }: IncomingEdit): NotebookDoc {
    const ownSeq = origin !== undefined && origin.client_id === this.clientId ? origin.seq : null;
    if (ownSeq !== null) {
      this.unacked.delete(ownSeq);
      this.replayed.delete(ownSeq);
    }
    if (edit.type === 'set_source') {
      const pending = this.pendingSource.get(edit.id);
      if (pending) {
        if (ownSeq !== pending.seq) return doc;
        this.pendingSource.delete(edit.id);
      }
      return applyEdit(doc, edit);
    }
    const next = applyEdit(doc, edit);
    if (edit.type === 'delete_cell') this.pendingSource.delete(edit.id);
    return edit.type === 'replace_document' ? this.overlay(next) : next;
  }

  /** The server refused one of our edits (`error` with `origin`); `doc` is the document shown. */
  rejected(doc: NotebookDoc, origin: EditOrigin | undefined): RejectionOutcome {
    if (!origin || origin.client_id !== this.clientId) return 'report';
    const message = this.unacked.get(origin.seq);
    this.unacked.delete(origin.seq);
    const wasReplayed = this.replayed.delete(origin.seq);
    if (!message) return 'report';
    if (message.edit.type !== 'set_source' || message.group) return wasReplayed ? 'ignore' : 'report';
    const { id } = message.edit;
    if (this.pendingSource.get(id)?.seq === origin.seq) this.pendingSource.delete(id);
    // Deleted by someone meanwhile: there is nothing left to disagree about.
    if (!doc.cells.some((cell) => cell.id === id)) return 'ignore';
    // The text shown was never accepted, and only a fresh snapshot says what the server holds instead.
    return 'resync';
  }

  /** Whether resending `edit` is pointless given the cell ids of a fresh snapshot. */
  private isObsolete({ edit, seq, group }: OutgoingEdit, ids: Set<string>): boolean {
    switch (edit.type) {
      case 'set_source': {
        // A command's text stands apart from typing: sent again while its cell exists (the same text twice is no change).
        if (group) return !ids.has(edit.id);
        const pending = this.pendingSource.get(edit.id);
        if (pending?.seq !== seq) return true;
        if (ids.has(edit.id)) return false;
        this.pendingSource.delete(edit.id);
        return true;
      }
      case 'insert_cell':
        return ids.has(edit.cell.id);
      case 'delete_cell':
        return !ids.has(edit.id);
      default:
        return false;
    }
  }

  /** The server's document with our unacknowledged text laid over it. */
  private overlay(doc: NotebookDoc): NotebookDoc {
    let next = doc;
    for (const [id, pending] of this.pendingSource) {
      if (next.cells.some((cell) => cell.id === id)) next = applyEdit(next, { type: 'set_source', id, source: pending.source });
      else this.pendingSource.delete(id);
    }
    return next;
  }
}
