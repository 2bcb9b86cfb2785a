/**
 * Metadata on read and write. Unknown metadata is always kept. Two things are not:
 * - Jupyter's transient keys (`signature`, `orig_nbformat*`, a cell's `trusted`), dropped on read and write as
 *   nbformat's `strip_transient` does, so files match what Jupyter writes;
 * - known keys whose value breaks the nbformat 4.5 schema (`collapsed: "yes"`, `kernelspec: "python"`). They mean
 *   nothing to any frontend and would make the saved file invalid, so they are removed with a warning, like
 *   nbformat's own `strip_invalid_metadata` repair.
 */
import type { CellType, JSONObject, JSONValue } from '../protocol/index.ts';
import { isJSONObject, omitKeys } from './jupyter-json.ts';

const NOTEBOOK_TRANSIENT = ['signature', 'orig_nbformat', 'orig_nbformat_minor'];
const CELL_TRANSIENT = ['trusted'];

export function stripNotebookTransient(metadata: JSONObject): JSONObject {
  return omitKeys(metadata, NOTEBOOK_TRANSIENT) ?? {};
}

export function stripCellTransient(metadata: JSONObject): JSONObject {
  return omitKeys(metadata, CELL_TRANSIENT) ?? {};
}

/** A check for one known key: `undefined` when the value is fine, else what it should be. */
type Rule = (value: JSONValue) => string | undefined;

const isString = (value: JSONValue) => typeof value === 'string';
const stringRule: Rule = (value) => (isString(value) ? undefined : 'a string');
const booleanRule: Rule = (value) => (typeof value === 'boolean' ? undefined : 'true or false');
const objectRule: Rule = (value) => (isJSONObject(value) ? undefined : 'an object');

const kernelspecRule: Rule = (value) =>
  isJSONObject(value) && isString(value['name'] ?? null) && isString(value['display_name'] ?? null)
    ? undefined
    : "an object with string 'name' and 'display_name'";

const languageInfoRule: Rule = (value) => {
  const what = "an object with a string 'name' (and string file_extension, mimetype, pygments_lexer)";
  if (!isJSONObject(value) || !isString(value['name'] ?? null)) return what;
  for (const key of ['file_extension', 'mimetype', 'pygments_lexer']) {
    if (key in value && !isString(value[key] ?? null)) return what;
  }
  const mode = value['codemirror_mode'];
  return mode === undefined || isString(mode) || isJSONObject(mode) ? undefined : what;
};

const nameRule: Rule = (value) => (typeof value === 'string' && /^.+$/.test(value) ? undefined : 'a non-empty one-line string');

const tagsRule: Rule = (value) => {
  const what = 'a list of distinct strings without commas';
  if (!Array.isArray(value)) return what;
  const ok = value.every((tag) => typeof tag === 'string' && tag.length > 0 && !tag.includes(','));
  return ok && new Set(value).size === value.length ? undefined : what;
};

const executionRule: Rule = (value) =>
  isJSONObject(value) && Object.values(value).every(isString) ? undefined : 'an object of timestamp strings';

const scrolledRule: Rule = (value) => (value === true || value === false || value === 'auto' ? undefined : "true, false or 'auto'");

const NOTEBOOK_RULES: Record<string, Rule> = {
  kernelspec: kernelspecRule,
  language_info: languageInfoRule,
  title: stringRule,
  authors: (value) => (Array.isArray(value) ? undefined : 'a list'),
};

const COMMON_CELL_RULES: Record<string, Rule> = { name: nameRule, tags: tagsRule };
const CELL_RULES: Record<CellType, Record<string, Rule>> = {
  code: { ...COMMON_CELL_RULES, jupyter: objectRule, execution: executionRule, collapsed: booleanRule, scrolled: scrolledRule },
  markdown: { ...COMMON_CELL_RULES, jupyter: objectRule },
  raw: { ...COMMON_CELL_RULES, jupyter: objectRule, format: stringRule },
};

function repair(metadata: JSONObject, rules: Record<string, Rule>, where: string, warnings: string[]): JSONObject {
  const invalid: string[] = [];
  for (const [key, rule] of Object.entries(rules)) {
    const value = Object.hasOwn(metadata, key) ? metadata[key] : undefined;
    if (value === undefined) continue;
    const expected = rule(value);
    if (expected === undefined) continue;
    invalid.push(key);
    warnings.push(`${where}metadata.${key} should be ${expected}; removed the invalid value ${preview(value)}`);
  }
  return invalid.length === 0 ? metadata : (omitKeys(metadata, invalid) ?? {});
}

/** The notebook's metadata without transient keys and without known keys of the wrong type (warned). */
export function readNotebookMetadata(metadata: JSONObject, warnings: string[]): JSONObject {
  return repair(stripNotebookTransient(metadata), NOTEBOOK_RULES, '', warnings);
}

/** A cell's metadata, same treatment; cells of a type we don't model only get the rules common to all cells. */
export function readCellMetadata(metadata: JSONObject, cellType: CellType | undefined, where: string, warnings: string[]): JSONObject {
  return repair(stripCellTransient(metadata), cellType ? CELL_RULES[cellType] : COMMON_CELL_RULES, `${where}: `, warnings);
}

function preview(value: JSONValue): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
