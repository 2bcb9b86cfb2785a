/**
 * JSON as Jupyter writes it, and the small guards used to read untrusted `.ipynb` JSON.
 *
 * `stringifyJupyter` reproduces Python's `json.dumps(nb, indent=1, sort_keys=True, separators=(",", ": "),
 * ensure_ascii=False)`, the call nbformat's writer makes, so a notebook saved here diffs cleanly against one saved
 * by Jupyter. Known difference: JavaScript has one number type, so a float written by Python as `1.0` comes back
 * as `1` (the same JSON value).
 */
import type { JSONObject, JSONValue } from '../protocol/index.ts';

export function isJSONObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** A non-negative integer, as nbformat wants for execution counts. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** `object` without the keys listed; `undefined` when nothing is left (so callers can omit the field). */
export function omitKeys(object: JSONObject, keys: readonly string[]): JSONObject | undefined {
  const entries = Object.entries(object).filter(([key]) => !keys.includes(key));
  // Object.fromEntries defines own properties, so a "__proto__" key from a file stays plain data.
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Python sorts keys by code point; UTF-16 order differs only between astral characters and U+E000–U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

/** Maps UTF-16 code units so that their order is code point order (surrogates sort above the BMP). */
function fixup(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * Serialises like nbformat's writer: 1-space indent, keys sorted by code point, non-ASCII kept as is.
 * (Own printer rather than `JSON.stringify(sorted, null, 1)`: JavaScript objects list integer-like keys such as
 * "10" before "9" whatever their insertion order, which would break the sort.)
 */
export function stringifyJupyter(value: JSONValue): string {
  return print(value, '');
}

/** `stringifyJupyter` for a value nested at `indent` (its lines after the first are indented to match). */
export function stringifyJupyterAt(value: JSONValue, indent: string): string {
  return print(value, indent);
}

function print(value: JSONValue, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent} `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + print(item, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value).sort(compareCodePoints);
  if (keys.length === 0) return '{}';
  const members = keys.map((key) => `${inner}${JSON.stringify(key)}: ${print(value[key] ?? null, inner)}`);
  return `{\n${members.join(',\n')}\n${indent}}`;
}

/**
 * Whether `value` nests deeper than `limit` (checked without recursion). Python's json module gives up near 1000
 * levels, so Jupyter could not save such a file either; refusing it early keeps our own recursion safe.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Whether JSON text nests deeper than `limit` (`[[1]]` nests 2 deep), found in one pass over the text before
 * anything is parsed: `JSON.parse` spends seconds on megabytes of `[[[[…`, and what it would build overflows
 * the stack of recursive code after it (schema checks, printing). Brackets inside strings don't count. Not a
 * validator: `JSON.parse` still judges the syntax.
 */
export function textNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let isInString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isInString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) isInString = false;
    } else if (code === QUOTE) {
      isInString = true;
    } else if (code === OPEN_SQUARE || code === OPEN_CURLY) {
      if (++depth > limit) return true;
    } else if (code === CLOSE_SQUARE || code === CLOSE_CURLY) {
      depth--;
    }
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_SQUARE = 0x5b;
const CLOSE_SQUARE = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;
