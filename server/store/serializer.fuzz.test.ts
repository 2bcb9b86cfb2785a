/**
 * "Never a crash": nbformat's test notebooks, mutated at random (seeded, so every run is the same), must either
 * parse or be refused with InvalidNotebook; whatever parses must write and read back to the same document.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JSONValue } from '../protocol/index.ts';
import { InvalidNotebook } from '../errors.ts';
import { parseNotebook, serializeNotebook } from './serializer.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'nbformat');
const CASES_PER_FILE = 150;

/** mulberry32: a tiny seeded generator. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REPLACEMENTS: JSONValue[] = [
  ...[null, 0, -1, 1.5, 1e9, -1e308, 2 ** 53 + 2, true, '', 'x', '$bad id', '__proto__'],
  ...[[], ['a', 1], {}, { output_type: 'stream' }, { cell_type: 'code' }, { cell_type: 'heading', level: 1e9, source: 'x' }],
];

/** Replaces or deletes one value somewhere in the tree. */
function mutate(value: JSONValue, next: () => number): JSONValue {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  if (value === null || typeof value !== 'object' || next() < 0.15) return pick(REPLACEMENTS);
  if (Array.isArray(value)) {
    if (value.length === 0) return [pick(REPLACEMENTS)];
    const index = Math.floor(next() * value.length);
    return next() < 0.1 ? value.filter((_, i) => i !== index) : value.map((item, i) => (i === index ? mutate(item, next) : item));
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return { [pick(['id', 'source', 'data'])]: pick(REPLACEMENTS) };
  const key = pick(keys);
  if (next() < 0.1) return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));
  return { ...value, [key]: mutate(value[key] ?? null, next) };
}

function readsAsIs(nb: JSONValue): boolean {
  try {
    parseNotebook(JSON.stringify(nb));
    return true;
  } catch {
    return false;
  }
}

describe('parseNotebook on mutated notebooks', () => {
  const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.ipynb'));
  it.each(files)('%s: parses or refuses cleanly, and what parses round-trips', (name) => {
    const original: JSONValue = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
    const next = random(name.length * 7919);
    let parsed = 0;
    for (let i = 0; i < CASES_PER_FILE; i++) {
      let nb = original;
      const rounds = 1 + Math.floor(next() * 3);
      for (let r = 0; r < rounds; r++) nb = mutate(nb, next);
      const text = JSON.stringify(nb);
      let doc;
      try {
        doc = parseNotebook(text).doc;
      } catch (error) {
        if (!(error instanceof InvalidNotebook)) throw new Error(`case ${i} crashed: ${String(error)}\n${text.slice(0, 300)}`);
        continue;
      }
      parsed++;
      const written = serializeNotebook(doc);
      expect(parseNotebook(written).doc, `case ${i}`).toEqual(doc);
      expect(serializeNotebook(parseNotebook(written).doc), `case ${i}`).toBe(written);
    }
    // A file that reads as it is must also read after some mutations, or the round trip above went untested.
    if (readsAsIs(original)) expect(parsed).toBeGreaterThan(0);
  });
});
