/**
 * `serializeNotebookYielding` must write exactly what `serializeNotebook` writes (it only spreads the work over
 * turns of the event loop, and gives it as UTF-8 pieces): checked on nbformat's test notebooks, a notebook with unknown top-level fields that
 * sort before "cells", an empty one, and a big generated one.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNotebook } from '../protocol/index.ts';
import { bigNotebook } from '../../tests/fixtures/big-notebook.ts';
import { parseNotebook, serializeNotebook, serializeNotebookYielding } from './serializer.ts';
import type { NotebookDoc } from '../protocol/index.ts';

/** The pieces joined back into text. */
async function yielded(doc: NotebookDoc, sliceMs?: number): Promise<string> {
  return Buffer.concat(await serializeNotebookYielding(doc, sliceMs)).toString('utf8');
}

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
      expect(await yielded(parsed.doc, 0)).toBe(serializeNotebook(parsed.doc));
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('handles unknown top-level fields, no cells, and many megabytes', async () => {
    const withExtra = { ...bigNotebook({ cells: 30, outputBytes: 50_000 }), extra: { aaa: { cells: [] }, zzz: 'last' } };
    expect(await yielded(withExtra, 0)).toBe(serializeNotebook(withExtra));
    expect(await yielded({ ...createNotebook(), cells: [] })).toBe(serializeNotebook({ ...createNotebook(), cells: [] }));
    const big = bigNotebook({ cells: 400, outputBytes: 4 * 2 ** 20 });
    let turns = 0;
    const counting = setInterval(() => turns++, 0);
    const pieces = await serializeNotebookYielding(big, 1);
    clearInterval(counting);
    expect(Buffer.concat(pieces).toString('utf8')).toBe(serializeNotebook(big));
    expect(pieces.length).toBeGreaterThan(2); // encoded slice by slice, not as one string at the end
    expect(turns).toBeGreaterThan(0); // other work ran while it was being built
  });
});
