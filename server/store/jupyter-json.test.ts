import { describe, expect, it } from 'vitest';
import type { JSONObject } from '../protocol/index.ts';
import { nestsDeeperThan, omitKeys, stringifyJupyter, textNestsDeeperThan } from './jupyter-json.ts';

describe('stringifyJupyter (json.dumps(indent=1, sort_keys=True, ensure_ascii=False))', () => {
  it('indents by one space and sorts keys by code point, integer-like keys included', () => {
    // Expected text printed by Python for the same value.
    const value = { '10': 1, '9': 2, a: 3, '\u{1F600}': 4, '\uFF01': 5, B: 6 };
    expect(stringifyJupyter(value)).toBe('{\n "10": 1,\n "9": 2,\n "B": 6,\n "a": 3,\n "！": 5,\n "😀": 4\n}');
  });

  it('writes empty containers inline and nested ones indented', () => {
    expect(stringifyJupyter({ a: [], b: {}, c: [1, { d: null }] })).toBe('{\n "a": [],\n "b": {},\n "c": [\n  1,\n  {\n   "d": null\n  }\n ]\n}');
  });

  it('escapes as Python does: control characters only, non-ASCII kept', () => {
    expect(stringifyJupyter('\x00\x1f\x7f\u2028é"\\')).toBe('"\\u0000\\u001f\x7f\u2028é\\"\\\\"');
  });

  it('keeps a "__proto__" key as plain data', () => {
    const value: JSONObject = JSON.parse('{"__proto__": {"x": 1}, "b": 2}');
    expect(stringifyJupyter(omitKeys(value, ['b']) ?? {})).toBe('{\n "__proto__": {\n  "x": 1\n }\n}');
  });
});

describe('nestsDeeperThan', () => {
  it('measures depth without recursion', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestsDeeperThan(deep, 500)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  });
});

describe('textNestsDeeperThan', () => {
  it('agrees with the depth of the parsed value; brackets in strings and escaped quotes are not counted', () => {
    const samples = ['1', '[]', '[[1]]', '{"a": [{"b": {}}]}', String.raw`["[[[[", "\"[[[", {"x]": "}"}]`, String.raw`[{"a\\": [[]]}]`];
    for (const text of samples) {
      for (const limit of [0, 1, 2, 3, 4]) expect(textNestsDeeperThan(text, limit), `${text} deeper than ${limit}`).toBe(nestsDeeperThan(JSON.parse(text), limit));
    }
  });

  it('answers at once for megabytes of brackets', () => {
    expect(textNestsDeeperThan(`${'['.repeat(8_000_000)}${']'.repeat(8_000_000)}`, 100)).toBe(true);
  });
});
