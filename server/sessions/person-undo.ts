/**
 * Undo and redo of the cell operations people make (insert, delete, move, change type, and what a merge, split
 * or paste combines of them), one history per notebook, shared by its tabs and the REST API.
 *
 * Each operation (one `applyPersonEdits` call, however many edits) is kept as a `CellChange`: the cells it
 * touched as they were before and after it, with where they stood. Undo does not replay stored inverse edits;
 * it computes, against the notebook as it is now, the edits that take those cells back (`revertEdits`), so an
 * operation older than an assistant turn or another tab's work still applies cleanly:
 * - a cell the operation added is deleted, if it is still there;
 * - a cell it deleted comes back after the cell that preceded it (or at its old index, if that one is gone), if
 *   nobody brought it back already;
 * - a cell it moved goes back after the cell that preceded it;
 * - a cell it changed gets back each of type, source and metadata (and a code cell's outputs and count) only
 *   where that field is still what the operation left: typing, runs or the assistant's edits since then win;
 * - a cell it changed that is gone now is left gone.
 * The edits themselves are `restoreEdits`, the assistant's undo's own. Consecutive operations of one group (a
 * merge, split, paste or replace-all a tab sends as several edits) are one step: the change from the notebook
 * before the group's first edit to the one after its last, for every cell the group touched; such a step is
 * kept even when it only changed text. Undoing records what it did as the
 * redo entry (and redoing as the undo entry), so redo takes back exactly what undo did, typing in a cell that
 * undo removed included.
 */
import { applyEdit, touchedCellIds, type CellDoc, type CellId, type NotebookDoc, type NotebookEdit } from '../protocol/index.ts';
import { restoreEdits } from './agent-undo.ts';

/** Who counts as a person: the page (buttons, keys) and the REST API. */
export type PersonSource = 'ui' | 'keyboard' | 'api';

/** A cell as it stood in one version of the notebook. */
interface Placed {
  cell: CellDoc;
  index: number;
  /** The cell just before it, null at the top. */
  after: CellId | null;
}

/** What one operation did to the cells it touched (a cell absent on one side was added or deleted). */
export interface CellChange {
  ids: CellId[];
  before: Map<CellId, Placed>;
  after: Map<CellId, Placed>;
}

/** The edits that are cell operations; an operation with none of them (typing, outputs) is not kept. */
const CELL_OPERATIONS = new Set<NotebookEdit['type']>(['insert_cell', 'delete_cell', 'move_cell', 'set_cell_type']);

export function hasCellOperation(edits: readonly NotebookEdit[]): boolean {
  return edits.some((edit) => CELL_OPERATIONS.has(edit.type));
}

function placements(doc: NotebookDoc, ids: ReadonlySet<CellId>): Map<CellId, Placed> {
  const placed = new Map<CellId, Placed>();
  doc.cells.forEach((cell, index) => {
    if (ids.has(cell.id)) placed.set(cell.id, { cell, index, after: index > 0 ? doc.cells[index - 1]!.id : null });
  });
  return placed;
}

/** The change between two versions of the notebook, for the given cells. */
export function captureChange(before: NotebookDoc, after: NotebookDoc, ids: Iterable<CellId>): CellChange {
  const unique = new Set(ids);
  return { ids: [...unique], before: placements(before, unique), after: placements(after, unique) };
}

/** The change `edits` make to `before` (the notebook they were applied to). */
export function changeOf(before: NotebookDoc, after: NotebookDoc, edits: readonly NotebookEdit[]): CellChange {
  return captureChange(before, after, edits.flatMap(touchedCellIds));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const outputsOf = (cell: CellDoc) => (cell.cell_type === 'code' ? { outputs: cell.outputs, count: cell.execution_count } : { outputs: [], count: null });

/**
 * The cell `now` with every field that is still as the operation left it (`left`) set back to `was`; the other
 * fields keep their present value.
 */
function revertFields(now: CellDoc, left: CellDoc, was: CellDoc): CellDoc {
  const cell_type = now.cell_type === left.cell_type ? was.cell_type : now.cell_type;
  const source = now.source === left.source ? was.source : now.source;
  const metadata = same(now.metadata, left.metadata) ? was.metadata : now.metadata;
  const base = { id: now.id, source, metadata };
  if (cell_type !== 'code') return { ...base, cell_type };
  const current = outputsOf(now);
  // A cell whose type goes back to code has no outputs left: it gets the ones it had.
  const isUntouched = now.cell_type !== 'code' || same(current, outputsOf(left));
  const { outputs, count } = isUntouched ? outputsOf(was) : current;
  return { ...base, cell_type, outputs, execution_count: count };
}

/**
 * The edits that take the cells of `change` from its `after` back to its `before`, against `doc` as it is now
 * (see the header for what is skipped when cells changed meanwhile). Empty when nothing is left to undo.
 */
export function revertEdits(change: CellChange, doc: NotebookDoc): NotebookEdit[] {
  const edits: NotebookEdit[] = [];
  let current = doc;
  const push = (edit: NotebookEdit) => {
    current = applyEdit(current, edit);
    edits.push(edit);
  };
  const indexOf = (id: CellId) => current.cells.findIndex((c) => c.id === id);
  /** Where a cell goes to stand right after `after` (`index` when that cell is gone), in a notebook of `count`. */
  const slot = (place: Placed, count: number) => {
    if (place.after === null) return 0;
    const anchor = indexOf(place.after);
    return anchor < 0 ? Math.min(place.index, count) : anchor + 1;
  };
  for (const id of change.ids) {
    if (change.after.has(id) && !change.before.has(id) && indexOf(id) >= 0) push({ type: 'delete_cell', id });
  }
  for (const id of change.ids) {
    const was = change.before.get(id);
    const left = change.after.get(id);
    const now = current.cells.find((c) => c.id === id);
    if (was && left && now) for (const edit of restoreEdits(now, revertFields(now, left.cell, was.cell))) push(edit);
  }
  const back = (id: CellId) => change.before.get(id)!;
  const ordered = change.ids.filter((id) => change.before.has(id)).sort((a, b) => back(a).index - back(b).index);
  for (const id of ordered) {
    const was = back(id);
    if (!change.after.has(id) && indexOf(id) < 0) push({ type: 'insert_cell', index: slot(was, current.cells.length), cell: was.cell });
  }
  // Moved cells are chosen first, then put back in their old order, so a block moved together returns whole.
  const moved = ordered.filter((id) => {
    const left = change.after.get(id);
    return left !== undefined && (left.after !== back(id).after || left.index !== back(id).index) && indexOf(id) >= 0;
  });
  for (const id of moved) {
    const from = indexOf(id);
    const target = slot(back(id), current.cells.length);
    // `move_cell` takes the index after the cell left its place.
    const index = Math.min(target > from ? target - 1 : target, current.cells.length - 1);
    if (index !== from) push({ type: 'move_cell', id, index });
  }
  return edits;
}

/** The two stacks: undo (newest last) and redo (newest last), each capped. */
export class PersonHistory {
  readonly #undo: CellChange[] = [];
  readonly #redo: CellChange[] = [];
  readonly #limit: number;
  /** The group whose step is the newest, while later edits of it may still join that step. */
  #open: { group: string; before: NotebookDoc; ids: Set<CellId>; change: CellChange } | null = null;

  constructor(limit = 100) {
    this.#limit = limit;
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** A new operation: kept for undo; what was undone before can no longer be redone. */
  record(change: CellChange): void {
    this.#open = null;
    this.#redo.length = 0;
    this.#push(this.#undo, change);
  }

  /**
   * Edits of a grouped operation (`group` names it and is unique to one tab), applied to `before` giving
   * `after`: they join the newest step when it is the same group's and nothing was recorded, undone or redone
   * since; otherwise they start a new step. Recorded even when they only change text.
   */
  recordGroup(group: string, before: NotebookDoc, after: NotebookDoc, edits: readonly NotebookEdit[]): void {
    const open = this.#open;
    const touched = edits.flatMap(touchedCellIds);
    if (open?.group === group && this.#undo.at(-1) === open.change) {
      for (const id of touched) open.ids.add(id);
      open.change = captureChange(open.before, after, open.ids);
      this.#undo[this.#undo.length - 1] = open.change;
      return;
    }
    const ids = new Set(touched);
    const change = captureChange(before, after, ids);
    this.record(change);
    this.#open = { group, before, ids, change };
  }

  /** Forgets every step: the notebook was replaced (a reload from disk, a PUT), so they were taken on another. */
  clear(): void {
    this.#open = null;
    this.#undo.length = 0;
    this.#redo.length = 0;
  }

  /**
   * Undoes the newest operation that still changes something in `doc` (older ones whose cells are all gone or
   * already back are dropped on the way). `apply` applies the edits and returns the notebook after them.
   * Returns whether anything changed.
   */
  undo(doc: NotebookDoc, apply: (edits: NotebookEdit[]) => NotebookDoc): boolean {
    return this.#step(this.#undo, this.#redo, doc, apply);
  }

  redo(doc: NotebookDoc, apply: (edits: NotebookEdit[]) => NotebookDoc): boolean {
    return this.#step(this.#redo, this.#undo, doc, apply);
  }

  #step(from: CellChange[], to: CellChange[], doc: NotebookDoc, apply: (edits: NotebookEdit[]) => NotebookDoc): boolean {
    for (let change = from.pop(); change; change = from.pop()) {
      const edits = revertEdits(change, doc);
      if (edits.length === 0) continue;
      let next: NotebookDoc;
      try {
        next = apply(edits);
      } catch (error) {
        // Refused (too many cells): nothing changed, so the entry stays where it was.
        from.push(change);
        throw error;
      }
      // Going back the other way means undoing what was just done, as it happened.
      this.#push(to, captureChange(doc, next, change.ids));
      return true;
    }
    return false;
  }

  #push(stack: CellChange[], change: CellChange): void {
    stack.push(change);
    if (stack.length > this.#limit) stack.splice(0, stack.length - this.#limit);
  }
}
