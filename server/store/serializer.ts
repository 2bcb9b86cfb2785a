/**
 * `.ipynb` text ↔ the notebook model. Reads nbformat 4.0–4.5 (and newer 4.x minors, keeping what it doesn't
 * know), upgrades nbformat 2 and 3; writes nbformat 4.5 byte for byte as Jupyter does, so saving an untouched
 * notebook changes nothing but what the format requires (cell ids for files older than 4.5).
 */
import type { NotebookDoc } from '../protocol/index.ts';
import { InvalidNotebook, PayloadTooLarge } from '../errors.ts';
import { DEFAULT_LIMITS, type ParseLimits } from '../limits.ts';
import { isJSONObject, stringifyJupyter, stringifyJupyterAt, textNestsDeeperThan } from './jupyter-json.ts';
import { readNotebookV4 } from './read-v4.ts';
import { upgradeToV4 } from './upgrade-v3.ts';
import { cellToJson, notebookToJson } from './write-v4.ts';

export interface ParsedNotebook {
  doc: NotebookDoc;
  /** What was repaired or is unusual, one sentence each (`cell 2: duplicate id "a"; renamed "a-1"`). */
  warnings: string[];
}

/** Enough problems to fix a broken file in one go, few enough to read. */
const MAX_REPORTED_ERRORS = 5;

/**
 * Reads an `.ipynb` file's text. Repairs what loses nothing (missing or duplicate ids, missing metadata,
 * transient keys) and says so in `warnings`; throws `InvalidNotebook` naming each problem otherwise, and
 * `PayloadTooLarge` for more cells than `limits.maxCells`. JSON nested deeper than `limits.maxJsonDepth` is
 * refused before it is parsed. (The size limit is the caller's: it has the bytes.)
 *
 * @example
 *   const { doc, warnings } = parseNotebook(await readFile('analysis.ipynb', 'utf8'));
 *   // warnings: ['cell 3: duplicate id "intro"; renamed "intro-1"']
 */
export function parseNotebook(text: string, limits: ParseLimits = DEFAULT_LIMITS): ParsedNotebook {
  const warnings: string[] = [];
  if (text.startsWith('\uFEFF')) {
    warnings.push('the file starts with a byte order mark; it is not written back');
    text = text.slice(1);
  }
  if (text.trim() === '') throw new InvalidNotebook('The file is empty: a notebook is a JSON object');
  if (textNestsDeeperThan(text, limits.maxJsonDepth)) {
    throw new InvalidNotebook(`The notebook nests JSON deeper than ${limits.maxJsonDepth} levels (CELLMATE_MAX_JSON_DEPTH)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidNotebook(`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isJSONObject(raw)) throw new InvalidNotebook(`A notebook is a JSON object, not ${describe(raw)}`);
  const cells = raw['cells'];
  if (Array.isArray(cells)) refuseIfTooMany(cells.length, limits.maxCells);

  const major = raw['nbformat'];
  if (major === undefined) throw new InvalidNotebook("Missing 'nbformat': this is not a Jupyter notebook");
  if (major === 2 || major === 3) {
    const upgraded = upgradeToV4(raw, major);
    throwIfAny(upgraded.errors, major);
    warnings.push(...upgraded.warnings);
    const v4Cells = upgraded.raw['cells'];
    if (Array.isArray(v4Cells)) refuseIfTooMany(v4Cells.length, limits.maxCells);
    return finish(readNotebookV4({ raw: upgraded.raw, minor: 5, isUpgrade: true }), warnings, major);
  }
  if (major !== 4) {
    throw new InvalidNotebook(`nbformat ${JSON.stringify(major)} is not supported: Cellmate reads nbformat 2, 3 and 4`);
  }
  const minor = raw['nbformat_minor'];
  if (typeof minor === 'number' && Number.isInteger(minor) && minor >= 0) {
    return finish(readNotebookV4({ raw, minor }), warnings, major);
  }
  // Old writers sometimes left the minor out; 4.0 is the reading that assumes least.
  warnings.push(minor === undefined ? "missing 'nbformat_minor': read as 4.0" : `nbformat_minor ${JSON.stringify(minor)} is not a version number: read as 4.0`);
  return finish(readNotebookV4({ raw, minor: 0 }), warnings, major);
}

function finish(result: ReturnType<typeof readNotebookV4>, warnings: string[], major: number): ParsedNotebook {
  throwIfAny(result.report.errors, major);
  return { doc: result.doc, warnings: [...warnings, ...result.report.warnings] };
}

function throwIfAny(errors: string[], major: number): void {
  if (errors.length === 0) return;
  const shown = errors.slice(0, MAX_REPORTED_ERRORS).join('; ');
  const more = errors.length > MAX_REPORTED_ERRORS ? `; and ${errors.length - MAX_REPORTED_ERRORS} more` : '';
  throw new InvalidNotebook(`Invalid nbformat ${major} notebook: ${shown}${more}`);
}

function refuseIfTooMany(cells: number, maxCells: number): void {
  if (cells <= maxCells) return;
  throw new PayloadTooLarge(`The notebook has ${cells.toLocaleString('en')} cells; notebooks of up to ${maxCells.toLocaleString('en')} cells can be opened (CELLMATE_MAX_CELLS)`);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : `a ${typeof value}`;
}

/**
 * Writes nbformat 4.5 JSON as Jupyter does: 1-space indent, sorted keys, multiline strings as lists of lines,
 * transient values stripped, a final newline.
 */
export function serializeNotebook(doc: NotebookDoc): string {
  return `${stringifyJupyter(notebookToJson(doc))}\n`;
}

/**
 * The same text as `serializeNotebook` as UTF-8 bytes in pieces, built some cells at a time with a turn of the
 * event loop in between (every `sliceMs`), so saving a notebook of many megabytes never holds the server for the
 * whole of it. Each slice's text is encoded as it is made: joining tens of megabytes into one string and encoding
 * that at the end was itself a stall of hundreds of milliseconds. Write the pieces in order; `Buffer.concat`
 * gives the whole.
 */
export async function serializeNotebookYielding(doc: NotebookDoc, sliceMs = 8): Promise<Buffer[]> {
  const shell = `${stringifyJupyter(notebookToJson({ ...doc, cells: [] }))}\n`;
  if (doc.cells.length === 0) return [Buffer.from(shell, 'utf8')];
  const member = '\n "cells": []';
  const at = shell.indexOf(member);
  const pieces: Buffer[] = [Buffer.from(`${shell.slice(0, at)}\n "cells": [\n`, 'utf8')];
  let slice: string[] = [];
  let sliceStart = performance.now();
  for (const [index, cell] of doc.cells.entries()) {
    slice.push(`${index === 0 ? '' : ',\n'}  ${stringifyJupyterAt(cellToJson(cell), '  ')}`);
    if (performance.now() - sliceStart > sliceMs) {
      pieces.push(Buffer.from(slice.join(''), 'utf8'));
      slice = [];
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  slice.push(`\n ]${shell.slice(at + member.length)}`);
  pieces.push(Buffer.from(slice.join(''), 'utf8'));
  return pieces;
}
