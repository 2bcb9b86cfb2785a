/**
 * Row 6: many notebooks at once, each running a `1+1` cell every 200 ms, each with two tabs attached (two
 * browsers' worth of sockets; the runs alternate between them). The count of notebooks steps up (1, 5, 10, 20);
 * the row is the last step against a `1+1` straight on the Jupyter Server with nothing else running, and the note
 * says where the round trip bends (the first count whose p50 is over twice the one-notebook p50).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestCellmate } from '../tests/helpers/cellmate.ts';
import { notebookWithCells } from '../tests/helpers/notebook-socket.ts';
import { SETTINGS } from './settings.ts';
import { summarise, type Row, type Summary } from './stats.ts';
import { openTab, type BenchTab } from './tab.ts';

const PERIOD_MS = 200;

interface LoadedNotebook {
  path: string;
  cellId: string;
  tabs: [BenchTab, BenchTab];
}

async function prepare(cm: TestCellmate, n: number): Promise<LoadedNotebook> {
  const path = `load-${n}.ipynb`;
  const [cellId] = await notebookWithCells(cm, path, ['1+1']);
  const tabs: [BenchTab, BenchTab] = [await openTab(cm, path), await openTab(cm, path)];
  const status = await tabs[0].run(cellId!); // starts the kernel
  if (status !== 'ok') throw new Error(`${path}: the first run ended ${status}`);
  return { path, cellId: cellId!, tabs };
}

/** Every notebook runs its cell every 200 ms (or right after the last run, if that took longer) for `seconds`. */
async function step(notebooks: LoadedNotebook[], seconds: number): Promise<number[]> {
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    notebooks.map(async (notebook, n) => {
      await sleep((PERIOD_MS * n) / notebooks.length); // spread the runs over the period
      for (let run = 0; performance.now() < end; run++) {
        const start = performance.now();
        const status = await notebook.tabs[run % 2]!.run(notebook.cellId);
        const elapsed = performance.now() - start;
        if (status !== 'ok') throw new Error(`${notebook.path}: a run ended ${status}`);
        samples.push(elapsed);
        if (elapsed < PERIOD_MS) await sleep(PERIOD_MS - elapsed);
      }
    }),
  );
  return samples;
}

export async function loadRow(cm: TestCellmate, direct: number[]): Promise<Row> {
  const counts = SETTINGS.loadSteps;
  const notebooks: LoadedNotebook[] = [];
  const byCount = new Map<number, Summary>();
  let last: number[] = [];
  try {
    for (const count of counts) {
      // Kernels start a few at a time: twenty at once would time out on a small machine.
      while (notebooks.length < count) {
        const batch = Array.from({ length: Math.min(4, count - notebooks.length) }, (_, k) => notebooks.length + k);
        notebooks.push(...(await Promise.all(batch.map((n) => prepare(cm, n)))));
      }
      last = await step(notebooks, SETTINGS.loadSeconds);
      byCount.set(count, summarise(last));
    }
  } finally {
    for (const notebook of notebooks) notebook.tabs.forEach((tab) => tab.close());
    await Promise.all(notebooks.map((notebook) => cm.sessions.close(notebook.path)));
  }
  const first = byCount.get(counts[0]!)!.p50;
  const bend = counts.find((count) => byCount.get(count)!.p50 > 2 * first);
  const steps = counts.map((count) => `${count}: ${byCount.get(count)!.p50.toFixed(1)}/${byCount.get(count)!.p99.toFixed(0)}`).join(', ');
  const top = counts.at(-1)!;
  return {
    id: '6',
    what: `${top} notebooks, each running \`1+1\` every 200 ms with 2 tabs attached, for ${SETTINGS.loadSeconds} s per step`,
    ours: { summary: summarise(last), unit: 'ms' },
    baseline: { what: 'direct `1+1`, nothing else running', summary: summarise(direct), unit: 'ms' },
    note: `p50/p99 ms by notebooks running: ${steps}; ${bend === undefined ? 'no bend (p50 stays under 2× one notebook’s)' : `bends at ${bend} (p50 over 2× one notebook’s)`}. The issue asks for a minute: set BENCH_LOAD_SECONDS=60`,
  };
}
