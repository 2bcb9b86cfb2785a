/**
 * `serializeNotebookYielding` must write exactly what `serializeNotebook` writes (it only spreads the work over
 * turns of the event loop): checked on nbformat's test notebooks, a notebook with unknown top-level fields that
 * sort before "cells", an empty one, and a big generated one.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNotebook } from '../protocol/index.ts';
import { bigNotebook } from '../../tests/fixtures/big-notebook.ts';
import { parseNotebook, serializeNotebook, serializeNotebookYielding } from './serializer.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'nbformat');

describe('serializeNotebookYielding', () => {
  it('gives the same text as serializeNotebook for every readable nbformat test notebook', async () => {
    const names = (await readdir(FIXTURES, { recursive: true })).filter((name) => name.endsWith('.ipynb'));
    let compared = 0;
    for (const name of names) {
      let parsed;
      try {
        parsed = parseNotebook(await readFile(join(FIXTURES, name), 'utf8'));
      } catch {
        continue; // invalid on purpose
      }
      expect(await serializeNotebookYielding(parsed.doc, 0)).toBe(serializeNotebook(parsed.doc));
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('handles unknown top-level fields, no cells, and many megabytes', async () => {
    const withExtra = { ...bigNotebook({ cells: 30, outputBytes: 50_000 }), extra: { aaa: { cells: [] }, zzz: 'last' } };
    expect(await serializeNotebookYielding(withExtra, 0)).toBe(serializeNotebook(withExtra));
    expect(await serializeNotebookYielding({ ...createNotebook(), cells: [] })).toBe(serializeNotebook({ ...createNotebook(), cells: [] }));
    const big = bigNotebook({ cells: 400, outputBytes: 4 * 2 ** 20 });
    let turns = 0;
    const counting = setInterval(() => turns++, 0);
    const text = await serializeNotebookYielding(big, 1);
    clearInterval(counting);
    expect(text).toBe(serializeNotebook(big));
    expect(turns).toBeGreaterThan(0); // other work ran while it was being built
  });
});
