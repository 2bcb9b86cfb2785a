/**
 * nbformat's multiline strings. On disk, source, stream text and text-like mime values may be a string or a
 * list of lines; in memory they are one string. Both rules below are nbformat's own (`v4/rwbase.py`):
 * `rejoin_lines` on read and `split_lines` on write.
 */
import type { JSONObject, JSONValue } from '../protocol/index.ts';
import { isStringArray } from './jupyter-json.ts';

/** The line boundaries of Python's `str.splitlines`, which nbformat uses when writing. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/**
 * Python's `text.splitlines(keepends)`: `'a\nb'` → `['a\n', 'b']`, and `''` → `[]` (so an empty source is
 * written as `[]`, as Jupyter does).
 */
export function splitLines(text: string, keepEnds = true): string[] {
  const lines: string[] = [];
  let start = 0;
  for (const match of text.matchAll(LINE_BREAK)) {
    const end = match.index + match[0].length;
    lines.push(text.slice(start, keepEnds ? end : match.index));
    start = end;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** A multiline string as one string, or `undefined` when `value` is neither a string nor a list of strings. */
export function joinMultiline(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isStringArray(value)) return value.join('');
  return undefined;
}

/**
 * JSON mime types hold any JSON value and are never joined or split (`application/json`,
 * `application/vnd.vegalite.v5+json`…): nbformat's `_is_json_mime`.
 */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

/** Read side: joins every non-JSON value that is a list of strings (`_rejoin_mimebundle`). */
export function rejoinMimeBundle(bundle: JSONObject): JSONObject {
  return Object.fromEntries(
    Object.entries(bundle).map(([mime, value]): [string, JSONValue] =>
      !isJsonMime(mime) && isStringArray(value) ? [mime, value.join('')] : [mime, value],
    ),
  );
}

/** Mime types outside `text/*` that nbformat still writes as lines, for readable diffs. */
const SPLIT_MIMES = new Set(['application/javascript', 'image/svg+xml']);

/** Write side: splits string values of text-like mime types into lines (`_split_mimebundle`). */
export function splitMimeBundle(bundle: JSONObject): JSONObject {
  return Object.fromEntries(
    Object.entries(bundle).map(([mime, value]): [string, JSONValue] =>
      typeof value === 'string' && (mime.startsWith('text/') || SPLIT_MIMES.has(mime)) ? [mime, splitLines(value)] : [mime, value],
    ),
  );
}
