/**
 * `npm run bench`: one table, each row Cellmate against a baseline measured in the same run on the same machine
 * (kernel work straight on the Jupyter Server with `@jupyterlab/services`, plain JSON and file calls, a smaller
 * page), with p50 and p99. Printed, and written to docs/benchmarks.md with the machine's description.
 * `BENCH_QUICK=1` for a smoke run, `BENCH_ROWS=1,5` for some rows only (printed, docs/benchmarks.md left as it is);
 * needs the built page (`npm run build`) for row 4.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { providerConfigFromEnv } from '../server/agent/provider.ts';
import { startBenchCellmate } from './cellmate.ts';
import { assistantRow } from './assistant.ts';
import { startDirectKernel } from './direct.ts';
import { firstResultRow } from './first-result.ts';
import { floodRow } from './flood.ts';
import { loadRow } from './load.ts';
import { startModelProcess } from './model-process.ts';
import { describeMachine, loadNow } from './machine.ts';
import { pageRows } from './page-rows.ts';
import { roundTripRows } from './round-trip.ts';
import { saveRows } from './save.ts';
import { QUICK, SETTINGS } from './settings.ts';
import { formatTable, summarise, type Row } from './stats.ts';

const REPORT = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
/** Everything below this line in docs/benchmarks.md is written by hand and kept across runs. */
const KEPT = '<!-- written by hand below: kept by npm run bench -->';

/** A row that failed shows as a row with its error, and the others still run. */
async function attempt(id: string, what: string, rows: () => Promise<Row | Row[]>): Promise<Row[]> {
  if (SETTINGS.rows && !SETTINGS.rows.includes(id)) return [];
  const started = performance.now();
  try {
    const result = await rows();
    console.error(`row ${id} done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    console.error(`row ${id} failed:`, error);
    const none = { summary: summarise([]), unit: 'ms' };
    return [{ id, what, ours: none, baseline: { what: '–', ...none }, note: `failed: ${error instanceof Error ? error.message : String(error)}` }];
  }
}

async function main(): Promise<void> {
  // @jupyterlab/services logs every WebSocket it opens.
  console.debug = () => {};
  console.warn = () => {};
  const loadBefore = loadNow();
  const model = await startModelProcess();
  const provider = providerConfigFromEnv({ OPENAI_API_KEY: 'bench', OPENAI_BASE_URL: model.baseURL, CELLMATE_MODEL: 'fake-model', CELLMATE_LLM_MAX_RETRIES: '0' });
  const cm = await startBenchCellmate({ provider });
  const connection = cm.kernels.supervisor.connection;
  if (!connection) throw new Error('no Jupyter Server');
  const direct = await startDirectKernel(connection);
  const rows: Row[] = [];
  try {
    rows.push(...(await attempt('1', 'round trip', () => roundTripRows(cm, direct))));
    // Row 6 compares with direct `1+1` times: measured again here, so it stands on its own.
    const directSamples: number[] = [];
    for (let n = 0; n < SETTINGS.roundTrips; n++) {
      const start = performance.now();
      await direct.run('1+1');
      directSamples.push(performance.now() - start);
    }
    rows.push(...(await attempt('2', 'first result', () => firstResultRow(cm))));
    rows.push(...(await attempt('3', 'output flood', () => floodRow(cm, direct))));
    rows.push(...(await attempt('4', 'page open and typing', () => pageRows(cm))));
    rows.push(...(await attempt('5', 'assistant', () => assistantRow(cm, model, direct))));
    rows.push(...(await attempt('6', 'load', () => loadRow(cm, directSamples))));
    rows.push(...(await attempt('7', 'big save', () => saveRows(cm))));
  } finally {
    await direct.dispose();
    await cm.cleanup();
    await model.close();
  }

  const machine = await describeMachine(cm.config.python);
  machine.push(`load average (1, 5, 15 min): ${loadBefore} before, ${loadNow()} after`);
  const table = formatTable(rows);
  console.log(`${machine.join('\n')}\n\n${table}`);
  // Some rows only: printed, but docs/benchmarks.md keeps its full run (their numbers go in by hand, if at all).
  if (SETTINGS.rows) return;
  const previous = await readFile(REPORT, 'utf8').catch(() => '');
  const kept = previous.includes(KEPT) ? previous.slice(previous.indexOf(KEPT)) : `${KEPT}\n`;
  const report = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts). Each row is Cellmate against a baseline measured in the same run on',
    'the same machine; the ratio is Cellmate over the baseline (row 2: cold over warm), at p50 and at p99.',
    `Kernel baselines run straight on Cellmate's own Jupyter Server (Nagle off on its kernel channel) with`,
    '`@jupyterlab/services` from Node.',
    '',
    ...machine.map((line) => `- ${line}`),
    `- run: ${QUICK ? 'BENCH_QUICK=1 (a smoke run, few samples)' : 'full'}`,
    '',
    table,
    '',
    kept,
  ].join('\n');
  await writeFile(REPORT, report);
  console.error(`written to ${REPORT}`);
}

await main();
