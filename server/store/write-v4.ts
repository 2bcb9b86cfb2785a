/**
 * The model → nbformat 4.5 JSON, as nbformat's writer shapes it: multiline strings split into lines
 * (`split_lines`), transient values stripped (`strip_transient`, plus the runtime-only `transient` of outputs),
 * fields kept in `extra` put back.
 */
import type { CellDoc, JSONObject, JSONValue, NotebookDoc, Output } from '../protocol/index.ts';
import { assertNever } from '../protocol/index.ts';
import { InvalidNotebook } from '../errors.ts';
import { omitKeys } from './jupyter-json.ts';
import { stripCellTransient, stripNotebookTransient } from './metadata.ts';
import { splitLines, splitMimeBundle } from './multiline.ts';
import { CURRENT_MINOR } from './read-v4.ts';

export function notebookToJson(doc: NotebookDoc): JSONObject {
  if (doc.nbformat !== 4) throw new InvalidNotebook(`Cannot write nbformat ${doc.nbformat}: only nbformat 4 is written`);
  return {
    // Unknown fields first, so they can never replace a field the model owns.
    ...doc.extra,
    nbformat: 4,
    // Every cell has an id, so the file is at least 4.5; a newer minor read from a file keeps its number.
    nbformat_minor: Math.max(doc.nbformat_minor, CURRENT_MINOR),
    metadata: stripNotebookTransient(doc.metadata),
    cells: doc.cells.map(cellToJson),
  };
}

/** One cell as nbformat JSON (what `notebookToJson` puts in `cells`). */
export function cellToJson(cell: CellDoc): JSONObject {
  const metadata = stripCellTransient(cell.metadata);
  // A cell of a type the model lacks (read from a newer nbformat) goes back as it came, with its edits. Its
  // `extra.source` says whether it had a source; one that isn't text is not the model's and stays as it was.
  if (typeof cell.extra?.['cell_type'] === 'string') {
    const original = cell.extra['source'];
    const isTextual = original === undefined ? cell.source !== '' : typeof original === 'string';
    return { ...cell.extra, id: cell.id, metadata, ...(isTextual ? { source: splitLines(cell.source) } : {}) };
  }
  const base: JSONObject = { ...cell.extra, id: cell.id, cell_type: cell.cell_type, metadata, source: splitLines(cell.source) };
  switch (cell.cell_type) {
    case 'code':
      return { ...base, execution_count: cell.execution_count, outputs: cell.outputs.map(outputToJson) };
    case 'markdown':
    case 'raw':
      return cell.attachments ? { ...base, attachments: attachmentsToJson(cell.attachments) } : base;
    default:
      return assertNever(cell, 'cell');
  }
}

function attachmentsToJson(attachments: JSONObject): JSONObject {
  return Object.fromEntries(
    Object.entries(attachments).map(([name, bundle]): [string, JSONValue] => [
      name,
      bundle !== null && typeof bundle === 'object' && !Array.isArray(bundle) ? splitMimeBundle(bundle) : bundle,
    ]),
  );
}

function outputToJson(output: Output): JSONObject {
  // `transient` (display ids) only means something to a live kernel session; Jupyter never writes it.
  const extra = output.extra ? (omitKeys(output.extra, ['transient']) ?? {}) : {};
  if (typeof extra['output_type'] === 'string') return extra;
  switch (output.output_type) {
    case 'stream':
      return { ...extra, output_type: 'stream', name: output.name, text: splitLines(output.text) };
    case 'display_data':
      return { ...extra, output_type: 'display_data', data: splitMimeBundle(output.data), metadata: output.metadata };
    case 'execute_result':
      return {
        ...extra,
        output_type: 'execute_result',
        execution_count: output.execution_count,
        data: splitMimeBundle(output.data),
        metadata: output.metadata,
      };
    case 'error':
      return { ...extra, output_type: 'error', ename: output.ename, evalue: output.evalue, traceback: output.traceback };
    default:
      return assertNever(output, 'output');
  }
}
