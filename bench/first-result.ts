/**
 * Row 2: the first result in a new notebook (create it, add a `1+1` cell, run it, all through the REST API) with
 * the warm kernel pool, against the same with no pool (a cold kernel start).
 */
import type { TestCellmate } from '../tests/helpers/cellmate.ts';
import { startBenchCellmate } from './cellmate.ts';
import { notebookWithCells } from '../tests/helpers/notebook-socket.ts';
import { restRun } from './round-trip.ts';
import { SETTINGS } from './settings.ts';
import { summarise, type Row } from './stats.ts';

async function poolReady(cm: TestCellmate): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (cm.kernels.status().pool.ready < 1) {
    if (Date.now() > deadline) throw new Error('the pool did not fill');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function firstResults(cm: TestCellmate, label: string, usePool: boolean): Promise<number[]> {
  const samples: number[] = [];
  for (let n = 0; n < SETTINGS.firstRuns; n++) {
    if (usePool) await poolReady(cm);
    const path = `first-${label}-${n}.ipynb`;
    const start = performance.now();
    const [cellId] = await notebookWithCells(cm, path, ['1+1']);
    await restRun(cm, path, cellId!);
    samples.push(performance.now() - start);
    await cm.sessions.close(path);
  }
  return samples;
}

/** `warm` is a Cellmate with a pool; a second one without is started here for the cold starts. */
export async function firstResultRow(warm: TestCellmate): Promise<Row> {
  const pooled = await firstResults(warm, 'warm', true);
  const cold = await startBenchCellmate({ kernels: { poolSize: 0 } });
  try {
    const unpooled = await firstResults(cold, 'cold', false);
    return {
      id: '2',
      what: 'first result in a new notebook (create, add `1+1`, run), warm pool',
      ours: { summary: summarise(pooled), unit: 'ms' },
      baseline: { what: 'the same with a cold kernel start (no pool)', summary: summarise(unpooled), unit: 'ms' },
      invert: true,
      target: '≥ 10× (ratio = cold / warm)',
      note: `sandbox ${warm.kernels.status().sandbox.enabled ? 'on' : 'off'}`,
    };
  } finally {
    await cold.cleanup();
  }
}
