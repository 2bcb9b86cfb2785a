/**
 * The authority for cells' text (see server/protocol/text.ts). Per cell it keeps a version number and the
 * latest accepted changes (at most `maxLog`). A tab's changes made against an older version are rebased over
 * those accepted since with `@codemirror/collab`'s `rebaseUpdates` (which also drops the ones it already
 * accepted, so a tab may safely send again what it is not sure arrived); a whole-text replacement (the
 * assistant, the REST API, undo, a reload from disk) becomes the minimal change between the old and new text,
 * so what a person types meanwhile is kept. A tab too far behind (its version older than the log) is told to
 * start again from the current text (`text_reset`).
 *
 * Versions start at 0 when a session opens and go back to 0 when a cell is deleted (a cell put back gets a
 * fresh history); they only move forward otherwise.
 */
import { rebaseUpdates, type Update } from '@codemirror/collab';
import { ChangeSet, Text } from '@codemirror/state';
import {
  applyEdit,
  minimalChange,
  SERVER_TEXT_CLIENT,
  type CellId,
  type ClientMessage,
  type NotebookDoc,
  type NotebookEdit,
  type ServerMessage,
  type TextUpdateMessage,
} from '../protocol/index.ts';

interface CellText {
  version: number;
  /** The last accepted updates; the last one made `version`. */
  log: Update[];
  /** How many updates from each client were accepted (a tab told to start over drops those it sent before). */
  accepted: Map<string, number>;
}

/** The result of a tab's changes: the new text and the updates to broadcast, or `reset`: the tab must start over. */
export type TextReceipt = { text: string; accepted: TextUpdateMessage[] } | { reset: true };

/** What a tab sends about a cell's text. */
export type TextRequest = Extract<ClientMessage, { type: 'text_update' | 'text_pull' }>;

export function toText(source: string): Text {
  return Text.of(source.split('\n'));
}

/**
 * A three-way merge of texts: `next` was made from `base`, and the text is `current` now (others changed it
 * meanwhile). The change from `base` to `next` is rebased over the change from `base` to `current` (each the
 * minimal change), so what others typed since `base` is kept.
 *
 * @example
 *   mergeText('x = 1', 'x = 1  # typed', 'y = 1') // 'y = 1  # typed'
 */
export function mergeText(base: string, current: string, next: string): string {
  const from = (to: string) => {
    const change = minimalChange(base, to);
    return change ? ChangeSet.of(change, base.length) : ChangeSet.empty(base.length);
  };
  return from(next).map(from(current)).apply(toText(current)).toString();
}

export class TextAuthority {
  readonly #cells = new Map<CellId, CellText>();
  readonly #maxLog: number;

  constructor(options: { maxLog?: number } = {}) {
    this.#maxLog = options.maxLog ?? 500;
  }

  version(id: CellId): number {
    return this.#cells.get(id)?.version ?? 0;
  }

  /** The versions that are not 0, for the snapshot. */
  versions(): Record<string, number> {
    const versions: Record<string, number> = {};
    for (const [id, cell] of this.#cells) if (cell.version > 0) versions[id] = cell.version;
    return versions;
  }

  /**
   * A tab's changes (JSON `ChangeSet`s, each on top of the one before) made when the cell was at `version`.
   * `source` is the cell's text now.
   */
  receive(id: CellId, source: string, version: number, clientId: string, changes: readonly unknown[]): TextReceipt {
    const cell = this.#cell(id);
    const behind = cell.version - version;
    if (behind < 0 || behind > cell.log.length) return { reset: true };
    let updates: readonly Update[];
    try {
      updates = changes.map((json) => ({ changes: ChangeSet.fromJSON(json), clientID: clientId }));
    } catch {
      return { reset: true };
    }
    updates = rebaseUpdates(updates, cell.log.slice(cell.log.length - behind));
    let text = toText(source);
    for (const update of updates) {
      // A change made against another text (a tab out of step): starting over is the only safe answer.
      if (update.changes.length !== text.length) return { reset: true };
      text = update.changes.apply(text);
    }
    return { text: text.toString(), accepted: updates.map((update) => this.#accept(id, cell, update)) };
  }

  /**
   * A tab's `text_update` or `text_pull` about a cell whose text is `source`: the new text and the updates for
   * every tab, or what only that tab must hear (what it missed, or to start over).
   */
  answer(request: TextRequest, source: string): { text: string; accepted: TextUpdateMessage[] } | { reply: ServerMessage } {
    const id = request.cell_id;
    const accepted = request.client_id === undefined ? undefined : this.#cells.get(id)?.accepted.get(request.client_id);
    const reset = { reply: { type: 'text_reset', cell_id: id, version: this.version(id), source, ...(accepted ? { accepted } : {}) } } as const;
    if (request.type === 'text_pull') {
      const missed = this.since(id, request.version);
      if (!missed) return reset;
      return { reply: { type: 'text_updates', cell_id: id, updates: missed.map(({ version, client_id, changes }) => ({ version, client_id, changes })) } };
    }
    const receipt = this.receive(id, source, request.version, request.client_id, request.changes);
    return 'reset' in receipt ? reset : receipt;
  }

  /** The updates after `version` (what a reconnecting tab missed), or null when the log no longer reaches back. */
  since(id: CellId, version: number): TextUpdateMessage[] | null {
    const cell = this.#cell(id);
    const behind = cell.version - version;
    if (behind < 0 || behind > cell.log.length) return null;
    const first = cell.version - behind;
    return cell.log.slice(cell.log.length - behind).map((update, i) => message(id, first + i + 1, update));
  }

  /**
   * Records the text changes that validated `edits` make to `before` (whole-text replacements as minimal
   * changes) and returns, per edit, the `text_update`s to send before it.
   */
  record(before: NotebookDoc, edits: readonly NotebookEdit[]): TextUpdateMessage[][] {
    if (!edits.some(touchesText)) return edits.map(() => []);
    let doc = before;
    return edits.map((edit) => {
      const sent: TextUpdateMessage[] = [];
      const replace = (id: CellId, from: string, to: string) => {
        const change = minimalChange(from, to);
        if (!change) return;
        const cell = this.#cell(id);
        sent.push(this.#accept(id, cell, { changes: ChangeSet.of(change, from.length), clientID: SERVER_TEXT_CLIENT }));
      };
      if (edit.type === 'set_source') replace(edit.id, doc.cells.find((cell) => cell.id === edit.id)?.source ?? '', edit.source);
      if (edit.type === 'delete_cell' || edit.type === 'insert_cell') this.#cells.delete(edit.type === 'delete_cell' ? edit.id : edit.cell.id);
      if (edit.type === 'replace_document') {
        const sources = new Map<string, string>(doc.cells.map((cell) => [cell.id, cell.source]));
        const kept = new Set<string>(edit.doc.cells.map((cell) => cell.id));
        for (const id of this.#cells.keys()) if (!kept.has(id)) this.#cells.delete(id);
        for (const cell of edit.doc.cells) {
          const was = sources.get(cell.id);
          if (was !== undefined) replace(cell.id, was, cell.source);
        }
      }
      doc = applyEdit(doc, edit);
      return sent;
    });
  }

  #cell(id: CellId): CellText {
    let cell = this.#cells.get(id);
    if (!cell) this.#cells.set(id, (cell = { version: 0, log: [], accepted: new Map() }));
    return cell;
  }

  #accept(id: CellId, cell: CellText, update: Update): TextUpdateMessage {
    cell.version++;
    cell.accepted.set(update.clientID, (cell.accepted.get(update.clientID) ?? 0) + 1);
    cell.log.push({ changes: update.changes, clientID: update.clientID });
    if (cell.log.length > this.#maxLog) cell.log.splice(0, cell.log.length - this.#maxLog);
    return message(id, cell.version, update);
  }
}

/** The edits that change a cell's text (every kernel output is an edit too: this runs for each). */
const TEXT_EDITS: ReadonlySet<NotebookEdit['type']> = new Set(['set_source', 'replace_document', 'delete_cell', 'insert_cell']);

function touchesText(edit: NotebookEdit): boolean {
  return TEXT_EDITS.has(edit.type);
}

function message(id: CellId, version: number, update: Update): TextUpdateMessage {
  return { type: 'text_update', cell_id: id, version, client_id: update.clientID, changes: update.changes.toJSON() };
}
