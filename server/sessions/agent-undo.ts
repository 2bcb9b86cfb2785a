/**
 * Undo of an agent turn in one step. While a turn runs, `TurnRecord` notes for each cell it adds, edits or deletes
 * how the cell was before the turn touched it; `undoEdits` turns that into the edits that put the notebook back:
 * added cells deleted (if still there), edited cells given back their source, type, outputs and metadata,
 * deleted cells re-inserted where they were. The records live in memory only (`UndoHistory`, bounded).
 */
import { applyEdit, touchedCellIds, type CellDoc, type CellId, type NotebookDoc, type NotebookEdit } from '../protocol/index.ts';
import type { AgentNotebook } from '../agent/types.ts';

/** A cell the turn added, or one that existed before it (with its index in the notebook as the turn began). */
type CellBefore = { kind: 'added' } | { kind: 'existing'; cell: CellDoc; index: number; deleted: boolean };

export class TurnRecord {
  readonly turn: string;
  readonly #start: NotebookDoc;
  readonly #cells = new Map<CellId, CellBefore>();

  /** `start` is the notebook as the turn began: where deleted cells go back to. */
  constructor(turn: string, start: NotebookDoc) {
    this.turn = turn;
    this.#start = start;
  }

  /** Whether the turn changed no cell (nothing to undo). */
  get isEmpty(): boolean {
    return this.#cells.size === 0;
  }

  /** How many cells the turn added, edited and deleted so far (a cell it added counts as added only). */
  counts(): { added: number; edited: number; deleted: number } {
    const counts = { added: 0, edited: 0, deleted: 0 };
    for (const before of this.#cells.values()) {
      if (before.kind === 'added') counts.added += 1;
      else if (before.deleted) counts.deleted += 1;
      else counts.edited += 1;
    }
    return counts;
  }

  /** Notes what `edits` changed, given the document before them (call it once they were applied). */
  note(before: NotebookDoc, edits: readonly NotebookEdit[]): void {
    let doc = before;
    for (const edit of edits) {
      for (const id of touchedCellIds(edit)) this.#noteCell(doc, id, edit);
      doc = applyEdit(doc, edit);
    }
  }

  #noteCell(doc: NotebookDoc, id: CellId, edit: NotebookEdit): void {
    const known = this.#cells.get(id);
    if (edit.type === 'insert_cell') {
      if (!known) this.#cells.set(id, { kind: 'added' });
      else if (known.kind === 'existing') known.deleted = false;
      return;
    }
    if (known?.kind === 'added') {
      // Added and deleted in the same turn: nothing to undo for it.
      if (edit.type === 'delete_cell') this.#cells.delete(id);
      return;
    }
    const cell = doc.cells.find((c) => c.id === id);
    if (!known && cell) {
      const start = this.#start.cells.findIndex((c) => c.id === id);
      this.#cells.set(id, { kind: 'existing', cell, index: start >= 0 ? start : doc.cells.indexOf(cell), deleted: false });
    }
    const record = this.#cells.get(id);
    if (edit.type === 'delete_cell' && record?.kind === 'existing') record.deleted = true;
  }

  /**
   * The edits that undo this turn on `doc` (the notebook as it is now), to apply as one step. Cells changed
   * since by someone else are still put back as they were before the turn; cells a person deleted since stay
   * deleted, unless the turn itself deleted them.
   */
  undoEdits(doc: NotebookDoc): NotebookEdit[] {
    const edits: NotebookEdit[] = [];
    let current = doc;
    const push = (edit: NotebookEdit) => {
      current = applyEdit(current, edit);
      edits.push(edit);
    };
    const has = (id: CellId) => current.cells.some((c) => c.id === id);
    for (const [id, before] of this.#cells) if (before.kind === 'added' && has(id)) push({ type: 'delete_cell', id });
    const existing = [...this.#cells.values()].filter((b): b is Extract<CellBefore, { kind: 'existing' }> => b.kind === 'existing');
    for (const before of existing) {
      const now = current.cells.find((c) => c.id === before.cell.id);
      if (now) for (const edit of restoreEdits(now, before.cell)) push(edit);
    }
    const reinsert = existing.filter((b) => b.deleted && !has(b.cell.id)).sort((a, b) => a.index - b.index);
    for (const before of reinsert) push({ type: 'insert_cell', index: Math.min(before.index, current.cells.length), cell: before.cell });
    return edits;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The edits that make `now` what `was` (same id): type, source, metadata, and a code cell's outputs and count. */
export function restoreEdits(now: CellDoc, was: CellDoc): NotebookEdit[] {
  const id = was.id;
  const edits: NotebookEdit[] = [];
  if (now.cell_type !== was.cell_type) edits.push({ type: 'set_cell_type', id, cell_type: was.cell_type });
  if (now.source !== was.source) edits.push({ type: 'set_source', id, source: was.source });
  if (!same(now.metadata, was.metadata)) edits.push({ type: 'set_cell_metadata', id, metadata: was.metadata });
  if (was.cell_type === 'code') {
    // A cell converted back to code by `set_cell_type` above starts with no outputs and no count.
    const outputs = now.cell_type === 'code' ? now.outputs : [];
    const count = now.cell_type === 'code' ? now.execution_count : null;
    if (!same(outputs, was.outputs)) edits.push({ type: 'set_outputs', id, outputs: was.outputs });
    if (count !== was.execution_count) edits.push({ type: 'set_execution_count', id, execution_count: was.execution_count });
  }
  return edits;
}

/** The records of the last `limit` turns that changed cells, oldest first. */
export class UndoHistory {
  readonly #records = new Map<string, TurnRecord>();
  readonly #limit: number;

  constructor(limit = 20) {
    this.#limit = limit;
  }

  add(record: TurnRecord): void {
    if (record.isEmpty) return;
    this.#records.set(record.turn, record);
    for (const turn of this.#records.keys()) {
      if (this.#records.size <= this.#limit) break;
      this.#records.delete(turn);
    }
  }

  get(turn: string): TurnRecord | undefined {
    return this.#records.get(turn);
  }

  delete(turn: string): void {
    this.#records.delete(turn);
  }

  /** The undoable turns, oldest first. */
  turns(): string[] {
    return [...this.#records.keys()];
  }
}

/**
 * The notebook as the turn's tools see it: the same notebook, with every edit the agent applies noted in
 * `record` once it went through (an edit that doesn't fit changes nothing, so it is not noted).
 */
export function recordingNotebook(notebook: AgentNotebook, record: TurnRecord): AgentNotebook {
  return {
    path: notebook.path,
    doc: () => notebook.doc(),
    applyEdits(edits) {
      const before = notebook.doc();
      notebook.applyEdits(edits);
      record.note(before, edits);
    },
    runCell: (id, options) => notebook.runCell(id, options),
    interrupt: () => notebook.interrupt(),
    evaluateSilently: (code, options) => notebook.evaluateSilently(code, options),
    listFiles: () => notebook.listFiles(),
  };
}
