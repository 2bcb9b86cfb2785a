/**
 * nbformat 2 and 3 → nbformat 4 JSON, following nbformat's own converters (`v3/convert.py`, `v4/convert.py`) so
 * the result is what Jupyter makes of the same file: worksheets flattened into `cells`, `input` → `source`,
 * `prompt_number` → `execution_count`, `pyout` → `execute_result`, `pyerr` → `error`, v3 mime aliases (`png`,
 * `html`…) → mime types, heading cells → markdown `#` headings. The v4 reader then checks the result as usual.
 *
 * Where nbformat gives up on a file that lacks bookkeeping (no notebook metadata, no minor version, a worksheet
 * without cells) we read it anyway, with a warning: nothing in it is lost.
 */
import type { JSONObject, JSONValue } from '../protocol/index.ts';
import { isJSONObject, isStringArray, omitKeys } from './jupyter-json.ts';
import { splitLines } from './multiline.ts';

export interface Upgraded {
  /** nbformat 4 JSON for `readNotebookV4`. */
  raw: JSONObject;
  warnings: string[];
  errors: string[];
}

/** v3 output keys that were written as lists of lines (`_multiline_outputs`). */
const MULTILINE_OUTPUT_KEYS = ['text', 'html', 'svg', 'latex', 'javascript', 'json'];

const MIME_ALIASES = new Map([
  ['text', 'text/plain'],
  ['html', 'text/html'],
  ['svg', 'image/svg+xml'],
  ['png', 'image/png'],
  ['jpeg', 'image/jpeg'],
  ['latex', 'text/latex'],
  ['json', 'application/json'],
  ['javascript', 'application/javascript'],
]);

/**
 * Lines were joined differently over time: nbformat 2 split with `splitlines()` (no line ends, join with "\n");
 * nbformat 3 files may hold either kind, told apart by whether the first line keeps its end (`_join_lines`).
 */
function joinLines(value: JSONValue | undefined, major: number): JSONValue | undefined {
  if (!isStringArray(value)) return value;
  const keptEnds = major === 3 && value.length > 0 && /[\n\r]$/.test(value[0]!);
  return value.join(keptEnds ? '' : '\n');
}

export function upgradeToV4(nb: JSONObject, major: 2 | 3): Upgraded {
  const warnings = [`converted from nbformat ${major} to 4.5: saving writes the new format`];
  const errors: string[] = [];
  const worksheets = nb['worksheets'];
  const cells: JSONValue[] = [];
  if (worksheets === undefined) {
    warnings.push(`nbformat ${major} file without 'worksheets': read as an empty notebook`);
  } else if (!Array.isArray(worksheets)) {
    errors.push("'worksheets' must be a list");
  } else {
    if (worksheets.length > 1) warnings.push(`${worksheets.length} worksheets were merged into one list of cells`);
    worksheets.forEach((worksheet, w) => {
      const where = `worksheet ${w + 1}`;
      if (!isJSONObject(worksheet)) return void errors.push(`${where}: not an object`);
      const wsCells = worksheet['cells'];
      if (wsCells === undefined) return void warnings.push(`${where} has no 'cells': read as empty`);
      if (!Array.isArray(wsCells)) return void errors.push(`${where}: 'cells' must be a list`);
      if (isJSONObject(worksheet['metadata']) && Object.keys(worksheet['metadata']).length > 0) {
        warnings.push(`${where}: worksheet metadata has no place in nbformat 4 and was dropped`);
      }
      for (const cell of wsCells) cells.push(isJSONObject(cell) ? upgradeCell(cell, major) : cell);
    });
  }

  let metadata = nb['metadata'];
  if (metadata === undefined) {
    warnings.push("missing notebook 'metadata'; added an empty one");
    metadata = {};
  }
  // `name` and `signature` were v3 bookkeeping: nbformat drops them on upgrade.
  if (isJSONObject(metadata)) metadata = omitKeys(metadata, ['name', 'signature']) ?? {};
  const rest = omitKeys(nb, ['nbformat', 'nbformat_minor', 'worksheets', 'metadata', 'orig_nbformat', 'orig_nbformat_minor']);
  return { raw: { ...rest, nbformat: 4, nbformat_minor: 5, metadata, cells }, warnings, errors };
}

function upgradeCell(cell: JSONObject, major: number): JSONObject {
  const metadata = cell['metadata'] ?? {};
  // `rendered` was v2/v3's cache of the markdown's HTML, rebuilt from the source: not content.
  const rest = omitKeys(cell, ['metadata', 'rendered']) ?? {};
  switch (cell['cell_type']) {
    case 'code': {
      const { collapsed, input, prompt_number, outputs } = rest;
      const other = omitKeys(rest, ['language', 'collapsed', 'input', 'prompt_number', 'outputs']);
      return {
        ...other,
        // v3 kept `collapsed` on the cell; v4 keeps it in the metadata.
        metadata: collapsed !== undefined && isJSONObject(metadata) ? { ...metadata, collapsed } : metadata,
        source: joinLines(input, major) ?? '',
        execution_count: prompt_number ?? null,
        outputs: Array.isArray(outputs) ? outputs.map((output) => (isJSONObject(output) ? upgradeOutput(output, major) : output)) : [],
      };
    }
    case 'heading': {
      const { level, source } = rest;
      const text = joinLines(source, major);
      // Markdown has six heading levels; a bigger v3 level (only a broken file has one) is read as the deepest.
      const hashes = '#'.repeat(typeof level === 'number' && level >= 1 ? Math.min(Math.floor(level), 6) : 1);
      const line = typeof text === 'string' ? splitLines(text, false).join(' ') : '';
      return { ...omitKeys(rest, ['level', 'source']), cell_type: 'markdown', metadata, source: `${hashes} ${line}` };
    }
    case 'html':
      return { ...rest, cell_type: 'markdown', metadata, source: joinLines(rest['source'], major) ?? '' };
    default:
      return { ...rest, metadata, ...(rest['source'] !== undefined ? { source: joinLines(rest['source'], major) ?? '' } : {}) };
  }
}

function upgradeOutput(output: JSONObject, major: number): JSONObject {
  const joined = Object.fromEntries(
    Object.entries(output).map(([key, value]): [string, JSONValue] => [
      key,
      MULTILINE_OUTPUT_KEYS.includes(key) ? (joinLines(value, major) ?? value) : value,
    ]),
  );
  switch (joined['output_type']) {
    case 'pyout':
    case 'display_data': {
      // Every other key of a v3 rich output is a representation of the value: it moves into `data`.
      const { output_type, prompt_number, metadata } = joined;
      const data = omitKeys(joined, ['output_type', 'prompt_number', 'metadata']) ?? {};
      const upgraded: JSONObject = {
        output_type: output_type === 'pyout' ? 'execute_result' : 'display_data',
        metadata: isJSONObject(metadata) ? toMimeKeys(metadata) : (metadata ?? {}),
        data: parseJsonMime(toMimeKeys(data)),
      };
      return output_type === 'pyout' ? { ...upgraded, execution_count: prompt_number ?? null } : upgraded;
    }
    case 'pyerr':
      return { ...joined, output_type: 'error' };
    case 'stream':
      return { ...omitKeys(joined, ['stream']), name: joined['stream'] ?? 'stdout' };
    default:
      return joined;
  }
}

function toMimeKeys(object: JSONObject): JSONObject {
  return Object.fromEntries(
    Object.entries(object).map(([key, value]): [string, JSONValue] => [MIME_ALIASES.get(key) ?? key, value]),
  );
}

/** v3 kept `json` output as text; v4 holds the value itself. Text that isn't JSON is kept as a JSON string. */
function parseJsonMime(data: JSONObject): JSONObject {
  const text = data['application/json'];
  if (typeof text !== 'string') return data;
  try {
    const value: JSONValue = JSON.parse(text);
    return { ...data, 'application/json': value };
  } catch {
    return data;
  }
}
