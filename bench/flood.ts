/**
 * Row 3: a cell that prints a million lines, run until it ends, through the notebook WebSocket against the same
 * run straight on the Jupyter Server. Also reported: how much the server process's memory grew at its peak, and
 * how many messages the tab (a browser) was sent against the IOPub messages the kernel sent.
 */
import type { TestCellmate } from '../tests/helpers/cellmate.ts';
import { notebookWithCells } from '../tests/helpers/notebook-socket.ts';
import type { DirectKernel } from './direct.ts';
import { SETTINGS } from './settings.ts';
import { summarise, type Row } from './stats.ts';
import { openTab } from './tab.ts';

/** Peak growth of this process's resident memory while `task` runs, in MB (sampled every 10 ms). */
async function peakGrowth<T>(task: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    const result = await task();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growthMb: (peak - before) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

export async function floodRow(cm: TestCellmate, direct: DirectKernel): Promise<Row> {
  const code = `for i in range(${SETTINGS.floodLines}): print(i)`;
  const path = 'flood.ipynb';
  const [cellId] = await notebookWithCells(cm, path, [code]);
  if (!cellId) throw new Error('no cell');
  const tab = await openTab(cm, path);
  const ours: number[] = [];
  const base: number[] = [];
  const growth: number[] = [];
  const sent: number[] = [];
  const iopub: number[] = [];
  for (let n = 0; n < SETTINGS.floods; n++) {
    let start = performance.now();
    iopub.push((await direct.run(code)).iopub);
    base.push(performance.now() - start);
    global.gc?.();
    const before = tab.received;
    start = performance.now();
    const { result: status, growthMb } = await peakGrowth(() => tab.run(cellId));
    ours.push(performance.now() - start);
    if (status !== 'ok') throw new Error(`the flood ended ${status}`);
    growth.push(growthMb);
    sent.push(tab.received - before);
  }
  tab.close();
  await cm.sessions.close(path);
  const growthP50 = summarise(growth).p50;
  return {
    id: '3',
    what: `output flood: \`print(i)\` ${SETTINGS.floodLines.toLocaleString('en-US')} times, until done`,
    ours: { summary: summarise(ours), unit: 'ms' },
    baseline: { what: 'direct (until idle)', summary: summarise(base), unit: 'ms' },
    target: '≤ 1.2×',
    note: `server memory growth at peak ${growthP50.toFixed(0)} MB (p50); ${summarise(sent).p50.toLocaleString('en-US')} messages sent to the tab for ${summarise(iopub).p50.toLocaleString('en-US')} IOPub messages from the kernel`,
  };
}
