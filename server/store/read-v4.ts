/**
 * nbformat 4 JSON (any minor) → the model. Multiline strings are joined, ids checked or added, transient and
 * invalid known metadata dropped (see metadata.ts); everything else is kept, unknown fields in `extra`.
 */
import type { CellDoc, CellId, CellType, JSONObject, JSONValue, NotebookDoc } from '../protocol/index.ts';
import { assignCellIds } from './cell-ids.ts';
import { isCount, isJSONObject, omitKeys } from './jupyter-json.ts';
import { readCellMetadata, readNotebookMetadata } from './metadata.ts';
import { joinMultiline, rejoinMimeBundle } from './multiline.ts';
import { checkMimeBundle, countWarning, readOutputs, type ReadReport } from './read-outputs.ts';

/** The minor version this code writes; older minors are upgraded to it. */
export const CURRENT_MINOR = 5;

export interface V4Input {
  /** The top-level object, whose `nbformat` is 4. */
  raw: JSONObject;
  minor: number;
  /** The file came from nbformat 2/3: ids are added as part of the upgrade, not reported one by one. */
  isUpgrade?: boolean;
}

export interface V4Result {
  doc: NotebookDoc;
  report: ReadReport;
}

const KNOWN_TOP = ['nbformat', 'nbformat_minor', 'metadata', 'cells'];
const KNOWN_CELL: Record<CellType, readonly string[]> = {
  code: ['id', 'cell_type', 'metadata', 'source', 'execution_count', 'outputs'],
  markdown: ['id', 'cell_type', 'metadata', 'source', 'attachments'],
  raw: ['id', 'cell_type', 'metadata', 'source', 'attachments'],
};

/** Reads a v4 notebook; the caller refuses it when `report.errors` is not empty. */
export function readNotebookV4({ raw, minor, isUpgrade = false }: V4Input): V4Result {
  const isFuture = minor > CURRENT_MINOR;
  const report: ReadReport = { errors: [], warnings: [], isFuture };
  if (isFuture) {
    report.warnings.push(`nbformat 4.${minor} is newer than 4.${CURRENT_MINOR}: what this version doesn't know is kept as it came`);
  }

  let metadata: JSONObject = {};
  if (raw['metadata'] === undefined) report.warnings.push("missing notebook 'metadata'; added an empty one");
  else if (isJSONObject(raw['metadata'])) metadata = readNotebookMetadata(raw['metadata'], report.warnings);
  else report.errors.push("notebook 'metadata' must be an object");

  const extra = omitKeys(raw, KNOWN_TOP);
  if (extra && !isFuture && !isUpgrade) report.warnings.push(`unknown top-level field(s) ${quoteKeys(extra)} kept as is`);

  const rawCells = raw['cells'];
  let cells: CellDoc[] = [];
  if (rawCells === undefined) report.errors.push("missing 'cells'");
  else if (!Array.isArray(rawCells)) report.errors.push("'cells' must be a list");
  else cells = readCells(rawCells, report, minor >= CURRENT_MINOR && !isUpgrade);

  const doc: NotebookDoc = { nbformat: 4, nbformat_minor: Math.max(minor, CURRENT_MINOR), metadata, cells };
  return { doc: extra ? { ...doc, extra } : doc, report };
}

function readCells(rawCells: JSONValue[], report: ReadReport, idsExpected: boolean): CellDoc[] {
  const objects = rawCells.map((cell, index) => {
    if (isJSONObject(cell)) return cell;
    report.errors.push(`cell ${index + 1}: not an object`);
    return {};
  });
  const { ids, warnings } = assignCellIds(
    objects.map((cell) => cell['id']),
    idsExpected,
  );
  report.warnings.push(...warnings);
  const cells: CellDoc[] = [];
  objects.forEach((cell, index) => {
    const read = readCell(cell, ids[index]!, `cell ${index + 1}`, report);
    if (read) cells.push(read);
  });
  return cells;
}

function readCell(raw: JSONObject, id: CellId, where: string, report: ReadReport): CellDoc | undefined {
  const type = raw['cell_type'];
  if (type === undefined) return fail(report, `${where}: missing 'cell_type'`);
  if (typeof type !== 'string') return fail(report, `${where}: 'cell_type' must be a string, not ${JSON.stringify(type)}`);
  const cellType = type === 'code' || type === 'markdown' || type === 'raw' ? type : undefined;
  if (!cellType && !report.isFuture) return fail(report, `${where}: unknown cell_type ${JSON.stringify(type)}`);

  let metadata: JSONObject = {};
  if (raw['metadata'] === undefined) report.warnings.push(`${where}: missing 'metadata'; added an empty one`);
  else if (isJSONObject(raw['metadata'])) metadata = readCellMetadata(raw['metadata'], cellType, where, report.warnings);
  else return fail(report, `${where}: 'metadata' must be an object`);

  if (!cellType) return keptAsIs(raw, id, metadata, where, report);

  if (raw['source'] === undefined) return fail(report, `${where}: missing 'source'`);
  const source = joinMultiline(raw['source']);
  if (source === undefined) return fail(report, `${where}: 'source' must be a string or a list of strings`);

  let cell: CellDoc;
  if (cellType === 'code') {
    const count = raw['execution_count'];
    if (count !== null && !isCount(count)) {
      report.warnings.push(countWarning(where, count));
    }
    const outputs = readOutputs(raw['outputs'], where, report);
    cell = { id, cell_type: cellType, source, metadata, execution_count: isCount(count) ? count : null, outputs };
  } else {
    const attachments = readAttachments(raw['attachments'], where, report);
    cell = attachments ? { id, cell_type: cellType, source, metadata, attachments } : { id, cell_type: cellType, source, metadata };
  }
  const extra = omitKeys(raw, KNOWN_CELL[cellType]);
  if (extra) {
    if (!report.isFuture) report.warnings.push(`${where}: unknown field(s) ${quoteKeys(extra)} kept as is`);
    cell.extra = extra;
  }
  return cell;
}

/** Attachments are mime bundles keyed by file name (`![](attachment:plot.png)` in markdown). */
function readAttachments(raw: JSONValue | undefined, where: string, report: ReadReport): JSONObject | undefined {
  if (raw === undefined) return undefined;
  if (!isJSONObject(raw) || !Object.values(raw).every(isJSONObject)) {
    return fail(report, `${where}: 'attachments' must map file names to mime bundles`);
  }
  return Object.fromEntries(
    Object.entries(raw).map(([name, bundle]): [string, JSONValue] => {
      const bundleObject = isJSONObject(bundle) ? bundle : {};
      checkMimeBundle(bundleObject, `${where}, attachment ${JSON.stringify(name)}`, report);
      return [name, rejoinMimeBundle(bundleObject)];
    }),
  );
}

/**
 * A cell of a type from a newer nbformat: shown as a raw cell, written back exactly as it came. Everything but
 * its id and metadata stays in `extra` (including `cell_type`, which marks it for the writer). Its source, if
 * any, is the raw cell's source so edits to it are kept; `extra.source` then only records that it had one
 * (joined like the model's, so reading what was written gives the same document).
 */
function keptAsIs(raw: JSONObject, id: CellId, metadata: JSONObject, where: string, report: ReadReport): CellDoc {
  report.warnings.push(`${where}: cell type ${JSON.stringify(raw['cell_type'])} is shown as raw and kept as it came`);
  const extra = omitKeys(raw, ['id', 'metadata']) ?? {};
  const source = joinMultiline(raw['source']);
  return { id, cell_type: 'raw', source: source ?? '', metadata, extra: source === undefined ? extra : { ...extra, source } };
}

function quoteKeys(object: JSONObject): string {
  return Object.keys(object)
    .map((key) => JSON.stringify(key))
    .join(', ');
}

function fail(report: ReadReport, message: string): undefined {
  report.errors.push(message);
  return undefined;
}
