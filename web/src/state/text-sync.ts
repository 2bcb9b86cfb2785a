/**
 * How this tab's cell texts converge with the server's, free of Solid so it can be tested against a real
 * session. The server is the authority (server/sessions/text-authority.ts); this is the other half of
 * CodeMirror's collab scheme.
 *
 * - Per cell with changes in flight, a headless `EditorState` with the `collab()` extension holds the text as
 *   this tab shows it, the version it last heard from the server, and the changes typed here that the server
 *   has not confirmed yet. The cell's editor mirrors that state: what is typed there is applied here
 *   (`local`), and remote changes come back as the exact `ChangeSet` to apply to the editor, so CodeMirror maps
 *   the cursor and selection through them.
 * - Typed changes go out at once when nothing is in flight for the cell, else when the server has confirmed
 *   what was in flight (one push at a time, all unconfirmed changes in it). Remote changes (`receiveUpdates`)
 *   are rebased over the unconfirmed ones; our own coming back confirm them.
 * - Updates carry the cell's version after them: one already seen is skipped, a gap asks for what was missed
 *   (`text_pull`). After a reconnect, a cell with unconfirmed changes asks what it missed since its version,
 *   applies it (our changes the server already had are confirmed by it), then sends the rest; a cell without
 *   them simply starts again from the snapshot. A tab too far behind gets `text_reset`: it starts from the
 *   server's text, its unconfirmed changes rebased over the difference between the text it last had confirmed
 *   and the server's, and sends them again, so nothing typed here or elsewhere is lost.
 */
import { collab, getSyncedVersion, receiveUpdates, sendableUpdates, type Update } from '@codemirror/collab';
import { ChangeSet, EditorState, Text } from '@codemirror/state';
import type { CellId } from '../../../server/protocol/ids.ts';
import type { ClientMessage, ServerMessage } from '../../../server/protocol/messages.ts';
import type { NotebookDoc } from '../../../server/protocol/notebook.ts';
import { minimalChange } from '../../../server/protocol/text.ts';

export type TextMessage = Extract<ClientMessage, { type: 'text_update' | 'text_pull' }>;
export type TextServerMessage = Extract<ServerMessage, { type: 'text_update' | 'text_updates' | 'text_reset' }>;

/** A cell's text changed: `changes` turn the text shown before into `text` (null: nothing to show). */
export interface TextEffect {
  id: CellId;
  changes: ChangeSet | null;
  text: string;
  send: TextMessage[];
}

interface CellText {
  state: EditorState;
  /** The text at the synced version: the server's, without our unconfirmed changes. */
  confirmed: Text;
  /** How many of the unconfirmed changes were sent (in one push) and are not confirmed yet. */
  sent: number;
  /** A `text_pull` is unanswered: nothing is sent, its answer brings the cell up to date. */
  pulling: boolean;
}

function randomClientId(): string {
  return Math.random().toString(36).slice(2, 10);
}

export class TextSync {
  readonly clientId: string;
  readonly #cells = new Map<CellId, CellText>();
  /** The snapshot's versions, for cells that have no state here yet. */
  #versions = new Map<string, number>();
  #connected = false;
  /** How many of our changes to each cell the server has confirmed (kept across reconnects). */
  readonly #acked = new Map<CellId, number>();

  constructor(clientId: string = randomClientId()) {
    this.clientId = clientId;
  }

  /** Cells with typed changes the server has not confirmed. */
  get pendingCount(): number {
    let count = 0;
    for (const cell of this.#cells.values()) if (sendableUpdates(cell.state).length > 0) count++;
    return count;
  }

  /** The text of the cell as this tab has it, if it tracks the cell. */
  textOf(id: CellId): string | undefined {
    return this.#cells.get(id)?.state.doc.toString();
  }

  /** Changes typed here into a cell whose text (as shown) is `source`. Throws if they don't fit that text. */
  local(id: CellId, source: string, changes: ChangeSet): TextEffect {
    const cell = this.#cell(id, source);
    if (changes.length !== cell.state.doc.length) throw new RangeError(`Changes for ${id} don't fit its text`);
    cell.state = cell.state.update({ changes }).state;
    return { id, changes: null, text: cell.state.doc.toString(), send: this.#push(id, cell) };
  }

  /** A message of the server about a cell whose text in the document shown is `source`. */
  receive(message: TextServerMessage, source: string): TextEffect | null {
    const id = message.cell_id;
    const cell = this.#cell(id, source);
    const shown = cell.state.doc.toString();
    if (message.type === 'text_reset') return this.#reset(id, cell, message);
    const updates = message.type === 'text_update' ? [message] : message.updates;
    const synced = getSyncedVersion(cell.state);
    const fresh = updates.filter((update) => update.version > synced);
    if (fresh.length > 0 && fresh.some((update, i) => update.version !== synced + i + 1)) {
      // A gap: only possible after a lost message. Ask for what is missing (its answer covers these too).
      if (cell.pulling) return null;
      cell.pulling = true;
      return { id, changes: null, text: shown, send: [this.#pull(id, synced)] };
    }
    let changes: ChangeSet | null = null;
    if (fresh.length > 0) {
      const unconfirmed = sendableUpdates(cell.state).length;
      const remote: Update[] = fresh.map((update) => ({ changes: ChangeSet.fromJSON(update.changes), clientID: update.client_id }));
      const tr = receiveUpdates(cell.state, remote);
      cell.state = tr.state;
      cell.confirmed = remote.reduce((text, update) => update.changes.apply(text), cell.confirmed);
      const confirmed = unconfirmed - sendableUpdates(cell.state).length;
      cell.sent = Math.max(0, cell.sent - confirmed);
      this.#acked.set(id, (this.#acked.get(id) ?? 0) + confirmed);
      changes = tr.changes.empty ? null : tr.changes;
    }
    if (message.type === 'text_updates') {
      // The answer to our pull: up to date now; whatever was sent before it is either confirmed or lost.
      cell.pulling = false;
      cell.sent = 0;
    }
    return { id, changes, text: cell.state.doc.toString(), send: this.#push(id, cell) };
  }

  /**
   * A fresh snapshot (first connect or reconnect), whose cell versions are `versions` (absent: 0). Returns the
   * document to show (with our unconfirmed text over it) and the pulls to send.
   */
  snapshot(doc: NotebookDoc, versions: Record<string, number> = {}): { doc: NotebookDoc; send: TextMessage[] } {
    this.#connected = true;
    this.#versions = new Map(Object.entries(versions));
    const ids = new Set<string>(doc.cells.map((cell) => cell.id));
    const send: TextMessage[] = [];
    for (const [id, cell] of this.#cells) {
      if (!ids.has(id) || sendableUpdates(cell.state).length === 0) {
        this.#cells.delete(id);
        continue;
      }
      cell.sent = 0;
      cell.pulling = true;
      send.push(this.#pull(id, getSyncedVersion(cell.state)));
    }
    return { doc: this.overlay(doc), send };
  }

  /** The connection dropped: nothing is sent until the next snapshot. */
  disconnected(): void {
    this.#connected = false;
  }

  /** A cell was inserted, deleted or replaced with another of its id: its text starts again at version 0. */
  forget(id: CellId): void {
    this.#cells.delete(id);
    this.#versions.delete(id);
    this.#acked.delete(id);
  }

  /** The document with the text this tab has for the cells it tracks. */
  overlay(doc: NotebookDoc): NotebookDoc {
    if (this.#cells.size === 0) return doc;
    return {
      ...doc,
      cells: doc.cells.map((cell) => {
        const text = this.#cells.get(cell.id)?.state.doc.toString();
        return text === undefined || text === cell.source ? cell : { ...cell, source: text };
      }),
    };
  }

  /**
   * Every unconfirmed change, sent even if a push is in flight (the server drops the changes it already has):
   * before a command that reads the text (a run, a prompt), and when the page goes away.
   */
  flush(): TextMessage[] {
    if (!this.#connected) return [];
    const send: TextMessage[] = [];
    for (const [id, cell] of this.#cells) {
      // Also a cell still catching up after a reconnect: the server rebases from our version all the same.
      cell.pulling = false;
      cell.sent = 0;
      send.push(...this.#push(id, cell));
    }
    return send;
  }

  #cell(id: CellId, source: string): CellText {
    let cell = this.#cells.get(id);
    if (!cell) {
      const extensions = [collab({ startVersion: this.#versions.get(id) ?? 0, clientID: this.clientId }), EditorState.lineSeparator.of('\n')];
      const state = EditorState.create({ doc: source, extensions });
      cell = { state, confirmed: state.doc, sent: 0, pulling: false };
      this.#cells.set(id, cell);
    }
    return cell;
  }

  /** The push to make now, if any: all unconfirmed changes, when none are in flight. */
  #push(id: CellId, cell: CellText): TextMessage[] {
    if (!this.#connected || cell.pulling || cell.sent > 0) return [];
    const updates = sendableUpdates(cell.state);
    if (updates.length === 0) return [];
    cell.sent = updates.length;
    const changes = updates.map((update) => update.changes.toJSON());
    return [{ type: 'text_update', cell_id: id, version: getSyncedVersion(cell.state), client_id: this.clientId, changes }];
  }

  #pull(id: CellId, version: number): TextMessage {
    return { type: 'text_pull', cell_id: id, version, client_id: this.clientId };
  }

  /**
   * Starts the cell again from the server's text. Of our unconfirmed changes, those the server says it has
   * (`accepted`, counted against what it confirmed before) are in that text already; the rest are rebased over
   * the difference between the text they were made on and the server's, and sent again: nothing typed here is
   * lost or doubled, nothing typed elsewhere is overwritten.
   */
  #reset(id: CellId, cell: CellText, reset: Extract<TextServerMessage, { type: 'text_reset' }>): TextEffect {
    const pending = sendableUpdates(cell.state).map((update) => update.changes);
    const acked = this.#acked.get(id) ?? 0;
    const already = Math.min(pending.length, Math.max(0, (reset.accepted ?? 0) - acked));
    const base = pending.slice(0, already).reduce((text, changes) => changes.apply(text), cell.confirmed);
    const diff = minimalChange(base.toString(), reset.source);
    let theirs = diff ? ChangeSet.of(diff, base.length) : ChangeSet.empty(base.length);
    this.#cells.delete(id);
    this.#versions.set(id, reset.version);
    this.#acked.set(id, acked + already);
    const fresh = this.#cell(id, reset.source);
    // One by one, as collab rebases: the server counts our changes, so they must stay as many as we made.
    for (const ours of pending.slice(already)) {
      fresh.state = fresh.state.update({ changes: ours.map(theirs) }).state;
      theirs = theirs.map(ours, true);
    }
    return { id, changes: theirs.empty ? null : theirs, text: fresh.state.doc.toString(), send: this.#push(id, fresh) };
  }
}
