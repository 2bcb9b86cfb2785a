import { describe, expect, it } from 'vitest';
import { CellId } from '../../../server/protocol/ids.ts';
import {
  CellMatcher,
  compileQuery,
  findInText,
  matchIndexFrom,
  replaceAllInCells,
  replaceInText,
  replacementFor,
  stepIndex,
  type CompiledQuery,
  type FindQuery,
} from './find.ts';

const query = (text: string, options: Partial<FindQuery> = {}): FindQuery => ({ text, caseSensitive: false, regex: false, ...options });

function compiled(text: string, options: Partial<FindQuery> = {}): CompiledQuery & { regexp: RegExp } {
  const result = compileQuery(query(text, options));
  if (!result?.regexp) throw new Error(`no regexp for ${text}: ${result?.error}`);
  return result as CompiledQuery & { regexp: RegExp };
}

const spans = (text: string, q: string, options: Partial<FindQuery> = {}) =>
  findInText(text, compiled(q, options).regexp).map((m) => text.slice(m.from, m.to) + '@' + m.from);

const cells = (...sources: string[]) => sources.map((source, i) => ({ id: CellId.from(`cell-${i}`), source }));

describe('compileQuery', () => {
  it('finds nothing for an empty query and reports a broken pattern instead of throwing', () => {
    expect(compileQuery(query(''))).toBeNull();
    const broken = compileQuery(query('(a', { regex: true }));
    expect(broken?.regexp).toBeUndefined();
    expect(broken?.error).toMatch(/Invalid regular expression/);
    // The same text as plain text is fine: special characters are literal.
    expect(spans('f(a) (a', '(a')).toEqual(['(a@1', '(a@5']);
  });
});

describe('findInText', () => {
  it('ignores case unless asked, and keeps positions in UTF-16 like CodeMirror', () => {
    expect(spans('Foo foo FOO', 'foo')).toEqual(['Foo@0', 'foo@4', 'FOO@8']);
    expect(spans('Foo foo FOO', 'foo', { caseSensitive: true })).toEqual(['foo@4']);
    expect(spans('😀x😀x', 'x')).toEqual(['x@2', 'x@5']);
  });

  it('runs regexes per line, with groups, and skips empty matches', () => {
    expect(spans('a = 1\nb = 22', '^(\\w) = (\\d+)$', { regex: true })).toEqual(['a = 1@0', 'b = 22@6']);
    expect(spans('xaax', 'a*', { regex: true })).toEqual(['aa@1']);
    expect(spans('😀😀', '(?:)', { regex: true })).toEqual([]);
    const [match] = findInText('let total = 3', compiled('(?<name>\\w+) = (\\d)', { regex: true }).regexp);
    expect(match?.captures).toEqual(['total', '3']);
    expect(match?.named).toEqual({ name: 'total' });
  });

  it('stops at the limit', () => {
    expect(findInText('aaaaa', compiled('a').regexp, 3)).toHaveLength(3);
  });
});

describe('CellMatcher', () => {
  it('lists matches across cells in document order with their cell and index, and counts them', () => {
    const matcher = new CellMatcher(compiled('x').regexp);
    const { matches, isCapped } = matcher.find(cells('x = 1', '# no', 'x + x'));
    expect(isCapped).toBe(false);
    expect(matches.map((m) => [m.cellId, m.cellIndex, m.from, m.to])).toEqual([
      ['cell-0', 0, 0, 1],
      ['cell-2', 2, 0, 1],
      ['cell-2', 2, 4, 5],
    ]);
  });

  it('searches a changed cell again and says when the list is capped', () => {
    const matcher = new CellMatcher(compiled('x').regexp);
    expect(matcher.find(cells('x', 'y')).matches).toHaveLength(1);
    expect(matcher.find(cells('x', 'xx')).matches.map((m) => `${m.cellIndex}:${m.from}`)).toEqual(['0:0', '1:0', '1:1']);
    const capped = matcher.find(cells('xx', 'xx'), 3);
    expect(capped.matches).toHaveLength(3);
    expect(capped.isCapped).toBe(true);
  });
});

describe('replacement', () => {
  it('is literal for a plain query, even with $ in it', () => {
    const text = 'a.b a.b';
    const matches = findInText(text, compiled('a.b').regexp);
    expect(replaceInText(text, matches, '$&-$1', false)).toBe('$&-$1 $&-$1');
  });

  it('expands $ patterns in a regex replacement exactly as String.prototype.replace does', () => {
    const samples: [string, string, string][] = [
      ['x = 1; yy = 22', '(\\w+) = (\\d+)', '$2 = $1'],
      ['x = 1; yy = 22', '(?<k>\\w+) = (?<v>\\d+)', '$<v>:$<k>$<none>'],
      ['abc', 'b', '[$`|$&|$\'|$$|$0|$9|$<k>]'],
      ['abcdefghijkl', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)', '$11-$10-$1$2-$12'],
      ['a1 b', '(\\w)(\\d)?', '<$2$1>'],
    ];
    for (const [text, pattern, template] of samples) {
      const { regexp } = compiled(pattern, { regex: true, caseSensitive: true });
      expect(replaceInText(text, findInText(text, regexp), template, true), `${pattern} → ${template}`).toBe(text.replace(regexp, template));
    }
  });

  it('replaces one match with its own groups', () => {
    const text = 'f(1) f(2)';
    const [, second] = findInText(text, compiled('f\\((\\d)\\)', { regex: true }).regexp);
    expect(replacementFor(text, second!, 'g($1)', true)).toBe('g(2)');
  });

  it('replaces in every cell, markdown included, and leaves the others out', () => {
    const q = compiled('(\\w+)\\.append\\((\\w+)\\)', { regex: true });
    const changed = replaceAllInCells(cells('xs.append(1)', '# xs.append(a) in prose', 'print(1)'), q, '$1 += [$2]');
    expect(changed).toEqual([
      { id: 'cell-0', source: 'xs += [1]' },
      { id: 'cell-1', source: '# xs += [a] in prose' },
    ]);
    const again = replaceAllInCells(cells('ys.append(v)\nys.append(w)'), q, '$1 += [$2]');
    expect(again).toEqual([{ id: 'cell-0', source: 'ys += [v]\nys += [w]' }]);
  });

  it('replaces nothing for a broken pattern', () => {
    const broken = compileQuery(query('(', { regex: true }));
    expect(broken && replaceAllInCells(cells('('), broken, 'x')).toEqual([]);
  });
});

describe('moving between matches', () => {
  const matcher = new CellMatcher(compiled('a').regexp);
  const { matches } = matcher.find(cells('a a', '', 'a'));

  it('starts at the first match at or after a place, wrapping to the top', () => {
    expect(matchIndexFrom(matches, { cellIndex: 0, offset: 0 })).toBe(0);
    expect(matchIndexFrom(matches, { cellIndex: 0, offset: 1 })).toBe(1);
    expect(matchIndexFrom(matches, { cellIndex: 1, offset: 0 })).toBe(2);
    expect(matchIndexFrom(matches, { cellIndex: 2, offset: 1 })).toBe(0);
    expect(matchIndexFrom([], { cellIndex: 0, offset: 0 })).toBe(-1);
  });

  it('steps forwards and backwards around the notebook', () => {
    expect(stepIndex(3, 2, 1)).toBe(0);
    expect(stepIndex(3, 0, -1)).toBe(2);
    expect(stepIndex(3, -1, -1)).toBe(2);
    expect(stepIndex(3, -1, 1)).toBe(0);
    expect(stepIndex(0, 0, 1)).toBe(-1);
  });
});
