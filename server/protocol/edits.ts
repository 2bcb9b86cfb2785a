/**
 * The one way to change a notebook. The UI, the REST API, the agent and undo all describe a change as a
 * `NotebookEdit` and apply it with `applyEdit`; the server broadcasts the same edit to every open tab, which
 * applies it with the same function. `applyEdit` is pure: it returns a new document and shares unchanged cells.
 */
import type { z } from 'zod';
import { assertNever } from './assert-never.ts';
import { EXECUTION_METADATA_KEY } from './execution-timing.ts';
import type { CellId } from './ids.ts';
import type { CellDoc, CellType, JSONObject, NotebookDoc, Output } from './notebook.ts';
import type { notebookEditSchema } from './schemas.ts';

/** A change to a notebook, as its schema (schemas.ts) declares it. */
export type NotebookEdit = z.infer<typeof notebookEditSchema>;

export type EditErrorCode = 'unknown_cell' | 'bad_index' | 'duplicate_id' | 'not_code' | 'too_many_cells';

/** An edit that doesn't fit the document it is applied to (a cell deleted meanwhile, an index out of range). */
export class EditError extends Error {
  constructor(
    readonly code: EditErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EditError';
  }
}

export function findCellIndex(doc: NotebookDoc, id: CellId): number {
  const index = doc.cells.findIndex((c) => c.id === id);
  if (index < 0) throw new EditError('unknown_cell', `No cell with id ${id}`);
  return index;
}

function replaceCell(doc: NotebookDoc, id: CellId, update: (cell: CellDoc) => CellDoc): NotebookDoc {
  const index = findCellIndex(doc, id);
  const cells = doc.cells.slice();
  cells[index] = update(doc.cells[index]!);
  return { ...doc, cells };
}

function codeOnly(cell: CellDoc, what: string) {
  if (cell.cell_type !== 'code') throw new EditError('not_code', `Cell ${cell.id} is ${cell.cell_type}: ${what}`);
  return cell;
}

function convertCell(cell: CellDoc, cell_type: CellType): CellDoc {
  if (cell.cell_type === cell_type) return cell;
  const { id, source, metadata, extra } = cell;
  const base = extra ? { id, source, metadata, extra } : { id, source, metadata };
  if (cell_type === 'code') return { ...base, cell_type, execution_count: null, outputs: [] };
  const attachments = cell.cell_type === 'code' ? undefined : cell.attachments;
  return attachments ? { ...base, cell_type, attachments } : { ...base, cell_type };
}

/**
 * Applies one edit and returns the new document; throws `EditError` when the edit doesn't fit.
 *
 * @example
 *   const next = applyEdit(doc, { type: 'set_source', id, source: 'print(42)' });
 */
export function applyEdit(doc: NotebookDoc, edit: NotebookEdit): NotebookDoc {
  switch (edit.type) {
    case 'insert_cell': {
      if (!Number.isInteger(edit.index) || edit.index < 0 || edit.index > doc.cells.length) {
        throw new EditError('bad_index', `Index ${edit.index} is outside 0..${doc.cells.length}`);
      }
      if (doc.cells.some((c) => c.id === edit.cell.id)) {
        throw new EditError('duplicate_id', `A cell with id ${edit.cell.id} already exists`);
      }
      const cells = doc.cells.slice();
      cells.splice(edit.index, 0, edit.cell);
      return { ...doc, cells };
    }
    case 'delete_cell': {
      const index = findCellIndex(doc, edit.id);
      const cells = doc.cells.slice();
      cells.splice(index, 1);
      return { ...doc, cells };
    }
    case 'move_cell': {
      const from = findCellIndex(doc, edit.id);
      if (!Number.isInteger(edit.index) || edit.index < 0 || edit.index >= doc.cells.length) {
        throw new EditError('bad_index', `Index ${edit.index} is outside 0..${doc.cells.length - 1}`);
      }
      const cells = doc.cells.slice();
      const [cell] = cells.splice(from, 1);
      cells.splice(edit.index, 0, cell!);
      return { ...doc, cells };
    }
    case 'set_source':
      return replaceCell(doc, edit.id, (cell) => (cell.source === edit.source ? cell : { ...cell, source: edit.source }));
    case 'set_cell_type':
      return replaceCell(doc, edit.id, (cell) => convertCell(cell, edit.cell_type));
    case 'set_outputs':
      return replaceCell(doc, edit.id, (cell) => ({ ...codeOnly(cell, 'only code cells have outputs'), outputs: edit.outputs }));
    case 'set_execution_count':
      return replaceCell(doc, edit.id, (cell) => ({
        ...codeOnly(cell, 'only code cells have an execution count'),
        execution_count: edit.execution_count,
      }));
    case 'clear_outputs': {
      const wanted = new Set<string>(edit.ids);
      for (const id of edit.ids) findCellIndex(doc, id);
      const cells = doc.cells.map((cell) => {
        if (!wanted.has(cell.id) || cell.cell_type !== 'code') return cell;
        const hasTiming = EXECUTION_METADATA_KEY in cell.metadata;
        if (cell.outputs.length === 0 && cell.execution_count === null && !hasTiming) return cell;
        // The last run's timing goes with its outputs, as JupyterLab's clearExecution drops it.
        const { [EXECUTION_METADATA_KEY]: _timing, ...metadata } = cell.metadata;
        return { ...cell, outputs: [], execution_count: null, metadata: hasTiming ? metadata : cell.metadata };
      });
      return { ...doc, cells };
    }
    case 'set_cell_metadata':
      return replaceCell(doc, edit.id, (cell) => ({ ...cell, metadata: edit.metadata }));
    case 'set_notebook_metadata':
      return { ...doc, metadata: edit.metadata };
    case 'replace_document':
      return edit.doc;
    default:
      return assertNever(edit, 'edit');
  }
}

/** Applies edits in order; all or nothing (the first failure throws and the input is untouched). */
export function applyEdits(doc: NotebookDoc, edits: readonly NotebookEdit[]): NotebookDoc {
  return edits.reduce(applyEdit, doc);
}

/** Ids of the cells an edit touches; the edits on the whole notebook (its metadata, a new document) touch none. */
export function touchedCellIds(edit: NotebookEdit): CellId[] {
  switch (edit.type) {
    case 'insert_cell':
      return [edit.cell.id];
    case 'clear_outputs':
      return edit.ids;
    case 'set_notebook_metadata':
    case 'replace_document':
      return [];
    default:
      return [edit.id];
  }
}

function outputSummary(output: Output): string {
  switch (output.output_type) {
    case 'stream':
      return `${output.name}: ${JSON.stringify(output.text)}`;
    case 'error':
      return `error: ${output.ename}: ${output.evalue}`;
    case 'execute_result':
    case 'display_data':
      return `${output.output_type}: ${Object.keys(output.data).sort().join(', ')}`;
    default:
      return assertNever(output, 'output');
  }
}

/**
 * The notebook as plain text, one line per cell (and per output), for snapshot tests and logs.
 *
 * @example
 *   [code 1] print(1)
 *     > stdout: "1\n"
 *   [markdown] # Title
 */
export function notebookToText(doc: NotebookDoc): string {
  const lines: string[] = [];
  for (const cell of doc.cells) {
    const count = cell.cell_type === 'code' ? ` ${cell.execution_count ?? ' '}` : '';
    lines.push(`[${cell.cell_type}${count}] ${cell.source.replace(/\n/g, '⏎')}`);
    if (cell.cell_type === 'code') for (const output of cell.outputs) lines.push(`  > ${outputSummary(output)}`);
  }
  return lines.join('\n');
}
