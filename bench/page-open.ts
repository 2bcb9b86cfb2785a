/**
 * `npx tsx bench/page-open.ts`: how long the notebook page takes, in Chromium, from navigation until the first
 * cell's editor shows, and from the arrival of the notebook's snapshot until the first screen is painted (every
 * cell in view showing its code), for a 100-cell and a 2,000-cell notebook (`print(n)` cells with their output),
 * and the ratio of the two: the page is windowed, so it should stay near 1 rather than grow with the cell count.
 * Build the UI first (`npm run build`). `BENCH_RUNS` (default 5) runs per size, the median is printed.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../tests/helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../tests/helpers/cellmate.ts';
import { writePrintedCellsNotebook } from '../tests/fixtures/printed-cells.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = [100, 2000] as const;

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

declare global {
  interface Window {
    /** When the notebook's snapshot arrived and when its first screen was painted after it (performance.now()). */
    cellmateOpen?: { snapshot?: number; painted?: number };
  }
}

/**
 * Runs in the page before its own scripts (a string: the bundler's helpers don't exist in the page). `snapshot`
 * is when the socket's snapshot message arrives, before the page handles it. From then on, each animation frame
 * checks whether every cell in the viewport shows its code: the static text drawn before an editor exists
 * (`.static-content`), an editor (`.cm-content`) or rendered markdown (`.markdown-rendered`); at least one cell must
 * be there. `painted` is taken in the first such frame, after its layout and paint: a message posted from the
 * frame's callback is handled once the frame is rendered. Reading the cells' boxes there costs nothing extra: the
 * frame lays them out anyway, just after.
 */
const PROBE_FIRST_SCREEN = `(() => {
  const marks = {};
  window.cellmateOpen = marks;
  const shows = (cell) => cell.querySelector('.static-content, .cm-content, .markdown-rendered') !== null;
  const onFrame = () => {
    const cells = [...document.querySelectorAll('article.cell')];
    const inView = cells.filter((cell) => {
      const box = cell.getBoundingClientRect();
      return box.bottom > 0 && box.top < window.innerHeight;
    });
    if (inView.length === 0 || !inView.every(shows)) return requestAnimationFrame(onFrame);
    const channel = new MessageChannel();
    channel.port1.onmessage = () => (marks.painted = performance.now());
    channel.port2.postMessage(null);
  };
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        if (marks.snapshot !== undefined || typeof event.data !== 'string' || !event.data.includes('"type":"snapshot"')) return;
        marks.snapshot = performance.now();
        requestAnimationFrame(onFrame);
      });
    }
  };
})()`;

/**
 * Ms from navigation until the first cell's editor shows, `runs` times per size after one warm-up (the browser's
 * cache of the bundle, the server's parse of the file), and how many cells were in the DOM at the last run.
 */
export async function pageOpenTimes(
  cellmate: TestCellmate,
  browser: Browser,
  sizes: readonly number[] = SIZES,
  runs = RUNS,
): Promise<Map<number, { samples: number[]; afterSnapshot: number[]; rendered: number }>> {
  const times = new Map<number, { samples: number[]; afterSnapshot: number[]; rendered: number }>();
  for (const size of sizes) {
    const path = `open-${size}.ipynb`;
    await writePrintedCellsNotebook(cellmate.workspace, path, size);
    const samples: number[] = [];
    const afterSnapshot: number[] = [];
    let rendered = 0;
    for (let run = 0; run <= runs; run++) {
      const page = await browser.newPage();
      await page.addInitScript({ content: PROBE_FIRST_SCREEN });
      const start = performance.now();
      await page.goto(`${cellmate.url}/notebooks/${encodeURIComponent(path)}?token=${cellmate.token}`);
      await page.locator('article.cell .cm-content').first().waitFor({ timeout: 600_000 });
      const elapsed = performance.now() - start;
      rendered = await page.locator('article.cell').count();
      await page.waitForFunction(() => window.cellmateOpen?.painted !== undefined, undefined, { timeout: 60_000 });
      const marks = await page.evaluate(() => window.cellmateOpen);
      await page.close();
      if (run > 0) samples.push(elapsed);
      if (run > 0 && marks?.snapshot !== undefined && marks.painted !== undefined) afterSnapshot.push(marks.painted - marks.snapshot);
    }
    times.set(size, { samples, afterSnapshot, rendered });
  }
  return times;
}

async function main(): Promise<void> {
  const [cellmate, browser] = await Promise.all([startTestCellmate({}, { localModelServers: [] }), launchChromium()]);
  try {
    const medians = new Map<number, number>();
    for (const [size, { samples, afterSnapshot, rendered }] of await pageOpenTimes(cellmate, browser)) {
      medians.set(size, median(samples));
      console.log(`${size} cells: ${rendered} in the DOM; first screen painted ${median(afterSnapshot).toFixed(0)} ms after the snapshot arrived (${afterSnapshot.map((s) => s.toFixed(0)).join(', ')})`);
      console.log(`${size} cells: first editor after ${median(samples).toFixed(0)} ms (median of ${RUNS}; ${samples.map((s) => s.toFixed(0)).join(', ')})`);
    }
    const [small, large] = SIZES.map((size) => medians.get(size) ?? 0);
    console.log(`ratio ${SIZES[1]}/${SIZES[0]}: ${(large! / small!).toFixed(2)}×`);
  } finally {
    await browser.close();
    await cellmate.cleanup();
  }
}

// Run on its own (`npx tsx bench/page-open.ts`); `npm run bench` imports `pageOpenTimes` instead.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
