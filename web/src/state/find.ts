/**
 * Find and replace over a notebook's document model: every cell's source (markdown and raw too), whether or not
 * its editor is on screen. Pure, free of Solid and CodeMirror, so the page's bar, the editors' highlighting and
 * the tests share one meaning of "a match".
 *
 * - A query is plain text or a JavaScript regular expression, case-sensitive or not; both become one `RegExp`
 *   (flags `gm`, plus `i`), so `^`/`$` work per line, as in JupyterLab. A pattern that doesn't compile is an
 *   `error` to show, never thrown.
 * - Empty matches (`a*`, `^`) are skipped: there is nothing to show or replace. A match never spans two cells.
 * - Replacement: plain text for a plain query; for a regex, JavaScript's `$1`, `$<name>`, `$&`, `` $` ``, `$'`
 *   and `$$` (as `String.prototype.replace` expands them).
 * - Positions are UTF-16 offsets into the source, which are CodeMirror's positions too.
 */
import type { CellId } from '../../../server/protocol/ids.ts';

export interface FindQuery {
  text: string;
  caseSensitive: boolean;
  regex: boolean;
}

/** A query ready to run: its `RegExp`, or why the pattern is not one. `null` from `compileQuery`: nothing to find. */
export type CompiledQuery = { regexp: RegExp; isRegex: boolean; error?: undefined } | { error: string; regexp?: undefined };

export interface TextMatch {
  from: number;
  to: number;
  /** The regex's capture groups (index 1 is `$1`); empty for a plain query. */
  captures: readonly (string | undefined)[];
  named?: Readonly<Record<string, string | undefined>>;
}

export interface CellMatch extends TextMatch {
  cellId: CellId;
  cellIndex: number;
}

export interface SearchableCell {
  id: CellId;
  source: string;
}

/** More matches than this are not listed (the count shows "50,000+"); replace all still replaces every one. */
export const MAX_MATCHES = 50_000;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileQuery(query: FindQuery): CompiledQuery | null {
  if (query.text === '') return null;
  const flags = query.caseSensitive ? 'gm' : 'gmi';
  try {
    return { regexp: new RegExp(query.regex ? query.text : escapeRegExp(query.text), flags), isRegex: query.regex };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The matches in one text, in order, at most `limit`. */
export function findInText(text: string, regexp: RegExp, limit = MAX_MATCHES): TextMatch[] {
  const matches: TextMatch[] = [];
  const re = new RegExp(regexp.source, regexp.flags.includes('g') ? regexp.flags : `${regexp.flags}g`);
  for (let found = re.exec(text); found && matches.length < limit; found = re.exec(text)) {
    if (found[0] === '') {
      // An empty match would find itself forever: step over it (a whole code point, so no pair is split).
      const code = text.codePointAt(re.lastIndex) ?? 0;
      re.lastIndex += code > 0xffff ? 2 : 1;
      continue;
    }
    const match: TextMatch = { from: found.index, to: found.index + found[0].length, captures: found.slice(1) };
    matches.push(found.groups ? { ...match, named: found.groups } : match);
  }
  return matches;
}

/**
 * Every cell's matches, in document order, remembering each cell's by its source so a search after typing in
 * one cell of 2,000 only searches that one again. Make a new one when the query changes.
 */
export class CellMatcher {
  readonly #regexp: RegExp;
  readonly #cache = new Map<CellId, { source: string; matches: TextMatch[] }>();

  constructor(regexp: RegExp) {
    this.#regexp = regexp;
  }

  /** The matches (at most `limit`) and whether there were more. */
  find(cells: readonly SearchableCell[], limit = MAX_MATCHES): { matches: CellMatch[]; isCapped: boolean } {
    const matches: CellMatch[] = [];
    const seen = new Set<CellId>();
    let isCapped = false;
    cells.forEach((cell, cellIndex) => {
      seen.add(cell.id);
      if (isCapped) return;
      let cached = this.#cache.get(cell.id);
      if (cached?.source !== cell.source) {
        cached = { source: cell.source, matches: findInText(cell.source, this.#regexp, limit) };
        this.#cache.set(cell.id, cached);
      }
      for (const match of cached.matches) {
        if (matches.length >= limit) {
          isCapped = true;
          return;
        }
        matches.push({ ...match, cellId: cell.id, cellIndex });
      }
    });
    for (const id of this.#cache.keys()) if (!seen.has(id)) this.#cache.delete(id);
    return { matches, isCapped };
  }
}

/** What a match is replaced with: `template` as is for a plain query, expanded as `String.replace` does for a regex. */
export function replacementFor(text: string, match: TextMatch, template: string, isRegex: boolean): string {
  if (!isRegex) return template;
  const groupCount = match.captures.length;
  return template.replace(/\$(\$|&|`|'|\d{1,2}|<([^>]*)>)/g, (whole, token: string, name: string | undefined) => {
    if (token === '$') return '$';
    if (token === '&') return text.slice(match.from, match.to);
    if (token === '`') return text.slice(0, match.from);
    if (token === "'") return text.slice(match.to);
    if (name !== undefined) return match.named ? (match.named[name] ?? '') : whole;
    // `$nn` is group nn when there is one, else `$n` followed by a digit; `$0` and groups past the last stay text.
    const two = Number(token);
    if (token.length === 2 && two >= 1 && two <= groupCount) return match.captures[two - 1] ?? '';
    const one = Number(token[0]);
    if (one >= 1 && one <= groupCount) return (match.captures[one - 1] ?? '') + token.slice(1);
    return whole;
  });
}

/** `text` with each of `matches` (in order, not overlapping) replaced. */
export function replaceInText(text: string, matches: readonly TextMatch[], template: string, isRegex: boolean): string {
  let result = '';
  let at = 0;
  for (const match of matches) {
    result += text.slice(at, match.from) + replacementFor(text, match, template, isRegex);
    at = match.to;
  }
  return result + text.slice(at);
}

/** Every cell whose source changes when all matches are replaced, with its new source (not capped). */
export function replaceAllInCells(cells: readonly SearchableCell[], query: CompiledQuery, template: string): SearchableCell[] {
  if (!query.regexp) return [];
  const changed: SearchableCell[] = [];
  for (const cell of cells) {
    const matches = findInText(cell.source, query.regexp, Number.POSITIVE_INFINITY);
    if (matches.length === 0) continue;
    const source = replaceInText(cell.source, matches, template, query.isRegex);
    if (source !== cell.source) changed.push({ id: cell.id, source });
  }
  return changed;
}

/** A place in the notebook: a cell and an offset in its source. */
export interface FindPosition {
  cellIndex: number;
  offset: number;
}

const isAtOrAfter = (match: CellMatch, position: FindPosition) =>
  match.cellIndex > position.cellIndex || (match.cellIndex === position.cellIndex && match.from >= position.offset);

/** The index of the first match at or after `position`, wrapping to the first one; -1 when there are none. */
export function matchIndexFrom(matches: readonly CellMatch[], position: FindPosition): number {
  if (matches.length === 0) return -1;
  const index = matches.findIndex((match) => isAtOrAfter(match, position));
  return index < 0 ? 0 : index;
}

/** The index `delta` (±1) matches away from `index`, wrapping around the notebook. */
export function stepIndex(count: number, index: number, delta: 1 | -1): number {
  if (count === 0) return -1;
  if (index < 0) return delta > 0 ? 0 : count - 1;
  return (index + delta + count) % count;
}
