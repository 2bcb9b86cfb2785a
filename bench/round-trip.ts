/**
 * Row 1: a `1+1` round trip through Cellmate's notebook WebSocket (`execute` until the cell's runtime ends) and
 * through `POST …/execute`, against the same run straight on the Jupyter Server. The paths are interleaved, one
 * of each per turn, so a burst of load from elsewhere on the machine hits them alike. REST is timed with
 * `node:http` on a kept-alive connection (http-client.ts); the same call through `fetch` is timed too and noted.
 */
import type { TestCellmate } from '../tests/helpers/cellmate.ts';
import { notebookWithCells } from '../tests/helpers/notebook-socket.ts';
import type { DirectKernel } from './direct.ts';
import { benchHttpClient, type BenchHttpClient } from './http-client.ts';
import { SETTINGS } from './settings.ts';
import { summarise, type Row } from './stats.ts';
import { openTab } from './tab.ts';

/** `POST …/execute` as a client would call it: the body read, nothing validated on this side. */
export async function restRun(cm: TestCellmate, path: string, cellId: string): Promise<void> {
  const response = await cm.api(`/api/notebooks/${encodeURIComponent(path)}/execute`, { method: 'POST', body: JSON.stringify({ cell_ids: [cellId] }) });
  const body = await response.text();
  if (response.status !== 200 || !body.includes('"ok"')) throw new Error(`execute failed (${response.status}): ${body.slice(0, 300)}`);
}

async function httpRun(client: BenchHttpClient, path: string, cellId: string): Promise<void> {
  const { status, text } = await client.post(`/api/notebooks/${encodeURIComponent(path)}/execute`, { cell_ids: [cellId] });
  if (status !== 200 || !text.includes('"ok"')) throw new Error(`execute failed (${status}): ${text.slice(0, 300)}`);
}

export async function roundTripRows(cm: TestCellmate, direct: DirectKernel): Promise<Row[]> {
  const path = 'round-trip.ipynb';
  const [cellId] = await notebookWithCells(cm, path, ['1+1']);
  if (!cellId) throw new Error('no cell');
  const tab = await openTab(cm, path);
  const client = benchHttpClient(cm.url, cm.token);
  const samples = { direct: [] as number[], ws: [] as number[], rest: [] as number[], fetch: [] as number[] };
  const timed = async (into: number[] | undefined, task: () => Promise<unknown>) => {
    const start = performance.now();
    await task();
    into?.push(performance.now() - start);
  };
  for (let n = 0; n < SETTINGS.warmup + SETTINGS.roundTrips; n++) {
    const measured = n >= SETTINGS.warmup;
    await timed(measured ? samples.direct : undefined, () => direct.run('1+1'));
    await timed(measured ? samples.ws : undefined, async () => {
      const status = await tab.run(cellId);
      if (status !== 'ok') throw new Error(`the cell ended ${status}`);
    });
    await timed(measured ? samples.rest : undefined, () => httpRun(client, path, cellId));
    await timed(measured ? samples.fetch : undefined, () => restRun(cm, path, cellId));
  }
  tab.close();
  client.close();
  const withFetch = summarise(samples.fetch);
  const directSummary = summarise(samples.direct);
  const baseline = { what: 'direct `@jupyterlab/services`', summary: directSummary, unit: 'ms' };
  return [
    { id: '1a', what: '`1+1` round trip, notebook WebSocket', ours: { summary: summarise(samples.ws), unit: 'ms' }, baseline, target: '≤ 1.15×' },
    {
      id: '1b',
      what: '`1+1` round trip, `POST …/execute`',
      ours: { summary: summarise(samples.rest), unit: 'ms' },
      baseline,
      target: '≤ 1.3×',
      note: `node:http client; with fetch (undici) ${withFetch.p50.toFixed(1)} ms / ${withFetch.p99.toFixed(1)} ms, ${(withFetch.p50 / directSummary.p50).toFixed(2)}× at p50`,
    },
  ];
}
