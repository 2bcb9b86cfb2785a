/**
 * `npm run bench:kernels`: how long a new notebook's first run takes with and without the warm pool (sandboxed
 * where bubblewrap works, and unsandboxed), as times and as the ratio cold / warm, next to a `1+1` on a running
 * kernel; and how long `/api/health` takes to answer while a cell floods its output.
 */
import { performance } from 'node:perf_hooks';
import type { SandboxMode } from '../server/kernels/sandbox.ts';
import { startTestCellmate, type TestCellmate } from '../tests/helpers/cellmate.ts';
import { executeCells, notebookWithCells } from '../tests/helpers/notebook-socket.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function poolReady(cm: TestCellmate): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (cm.kernels.status().pool.ready < 1) {
    if (Date.now() > deadline) throw new Error('the pool did not fill');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Median first-run time over `RUNS` new notebooks, and the median `1+1` on a running kernel. */
async function firstRuns(mode: SandboxMode, poolSize: number): Promise<{ first: number; warm: number; sandboxed: boolean }> {
  const cm = await startTestCellmate({ kernels: { poolSize, sandbox: { mode } } });
  try {
    const first: number[] = [];
    for (let n = 0; n < RUNS; n++) {
      if (poolSize > 0) await poolReady(cm);
      const [id] = await notebookWithCells(cm, `first-${n}.ipynb`, ['1+1']);
      if (!id) throw new Error('no cell');
      const start = performance.now();
      const [result] = await executeCells(cm, `first-${n}.ipynb`, [id]);
      first.push(performance.now() - start);
      if (result?.status !== 'ok') throw new Error(`run failed: ${JSON.stringify(result)}`);
    }
    const [id] = await notebookWithCells(cm, 'warm.ipynb', ['1+1']);
    if (!id) throw new Error('no cell');
    const warm: number[] = [];
    for (let n = 0; n <= RUNS; n++) {
      const start = performance.now();
      await executeCells(cm, 'warm.ipynb', [id]);
      if (n > 0) warm.push(performance.now() - start);
    }
    return { first: median(first), warm: median(warm), sandboxed: cm.kernels.status().sandbox.enabled };
  } finally {
    await cm.cleanup();
  }
}

/** Worst `/api/health` answer time while `while True: print(1)` runs, then how long the interrupt took. */
async function flood(): Promise<{ worstHealth: number; interrupt: number }> {
  const cm = await startTestCellmate({ kernels: { poolSize: 0 } });
  try {
    const [id] = await notebookWithCells(cm, 'flood.ipynb', ['while True: print(1)']);
    if (!id) throw new Error('no cell');
    const session = await cm.sessions.open('flood.ipynb');
    const running = session.execute([id]);
    while (!JSON.stringify(session.doc().cells.find((c) => c.id === id && c.cell_type === 'code' && c.outputs.length > 0) ?? null).includes('1\\n1')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    let worstHealth = 0;
    for (let n = 0; n < 50; n++) {
      const start = performance.now();
      const response = await fetch(`${cm.url}/api/health`);
      await response.body?.cancel();
      worstHealth = Math.max(worstHealth, performance.now() - start);
    }
    const start = performance.now();
    await session.interrupt();
    await running;
    return { worstHealth, interrupt: performance.now() - start };
  } finally {
    await cm.cleanup();
  }
}

async function main(): Promise<void> {
  // The kernel library logs every WebSocket it opens.
  console.debug = () => {};
  console.warn = () => {};
  console.log(`first run of a new notebook (median of ${RUNS}), against a 1+1 on a running kernel\n`);
  console.log('| sandbox | no pool | warm pool | ratio | 1+1 running |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const mode of ['auto', 'off'] as const) {
    const cold = await firstRuns(mode, 0);
    const warm = await firstRuns(mode, 1);
    const label = cold.sandboxed ? 'on' : mode === 'off' ? 'off' : 'off (unavailable)';
    console.log(`| ${label} | ${cold.first.toFixed(0)} ms | ${warm.first.toFixed(0)} ms | ${(cold.first / warm.first).toFixed(1)}× | ${warm.warm.toFixed(1)} ms |`);
  }
  const { worstHealth, interrupt } = await flood();
  console.log(`\nwhile \`while True: print(1)\` runs: worst /api/health answer ${worstHealth.toFixed(1)} ms of 50; the interrupt ended the cell in ${interrupt.toFixed(0)} ms`);
}

await main();
