/**
 * `npm run bench`: how a 2,000-cell notebook with 20 MB of outputs loads, serialises, saves and takes 1,000 edits,
 * as absolute times and as ratios against plain JSON.parse / JSON.stringify / writeFile of the same data in the
 * same process (so the numbers mean something on any machine), plus how long the event loop is held during a
 * save and whether the server answers a request meanwhile.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientId, type NotebookEdit } from '../server/protocol/index.ts';
import type { KernelProvider } from '../server/kernels/types.ts';
import { createApp } from '../server/routes/app.ts';
import { SessionManager } from '../server/sessions/session-manager.ts';
import { parseNotebook, serializeNotebook } from '../server/store/serializer.ts';
import { Workspace } from '../server/store/storage.ts';
import { bigNotebook } from '../tests/fixtures/big-notebook.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const noKernels: KernelProvider = {
  startKernel: () => Promise.reject(new Error('the benchmark runs no code')),
  listKernelSpecs: () => Promise.resolve({ default: 'python3', specs: [] }),
  dispose: () => Promise.resolve(),
};

/** Median wall time of `runs` calls, in ms (after one warm-up call). */
async function time(runs: number, task: () => unknown): Promise<number> {
  await task();
  const samples: number[] = [];
  for (let n = 0; n < runs; n++) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? 0;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'cellmate-bench-'));
  try {
    const doc = bigNotebook();
    const text = serializeNotebook(doc);
    const plain = JSON.stringify(JSON.parse(text));
    console.log(`notebook: ${doc.cells.length} cells, ${(text.length / 2 ** 20).toFixed(1)} MB as .ipynb; median of ${RUNS} runs\n`);

    const workspace = new Workspace(root);
    await workspace.writeNotebook('big.ipynb', doc);
    const parsedOnce = JSON.parse(text);
    const base = {
      parse: await time(RUNS, () => JSON.parse(text)),
      stringify: await time(RUNS, () => JSON.stringify(parsedOnce)),
      write: await time(RUNS, () => writeFile(join(root, 'plain.json'), plain)),
      read: await time(RUNS, () => readFile(join(root, 'plain.json'), 'utf8')),
    };
    const ours = {
      parse: await time(RUNS, () => parseNotebook(text)),
      serialize: await time(RUNS, () => serializeNotebook(doc)),
      load: await time(RUNS, () => workspace.readNotebook('big.ipynb')),
      save: await time(RUNS, () => workspace.writeNotebook('big.ipynb', doc)),
    };

    const rows: [string, number, string][] = [
      ['parse (.ipynb → model)', ours.parse, ratio(ours.parse, base.parse) + ' JSON.parse'],
      ['serialise (model → .ipynb)', ours.serialize, ratio(ours.serialize, base.stringify) + ' JSON.stringify'],
      ['load (read + parse + hash)', ours.load, ratio(ours.load, base.read + base.parse) + ' readFile + JSON.parse'],
      ['save (serialise + hash + temp + fsync + rename)', ours.save, ratio(ours.save, base.stringify + base.write) + ' JSON.stringify + writeFile'],
    ];
    console.log('baseline: JSON.parse', ms(base.parse), '· JSON.stringify', ms(base.stringify), '· writeFile', ms(base.write), '· readFile', ms(base.read));
    for (const [name, value, against] of rows) console.log(`${name.padEnd(50)} ${ms(value).padStart(10)}   ${against}`);

    // 1,000 edits through a session, with a tab that serialises every message as the socket would.
    const sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 500, watchFiles: false });
    const session = await sessions.open('big.ipynb');
    let sentBytes = 0;
    session.connect({ clientId: ClientId.create(), send: (message) => (sentBytes += JSON.stringify(message).length) });
    sentBytes = 0; // the snapshot is not part of the edits' cost
    const code = session.doc().cells.filter((cell) => cell.cell_type === 'code');
    const edits: NotebookEdit[] = Array.from({ length: 1000 }, (_, n) => ({ type: 'set_source', id: code[(n * 7) % code.length]!.id, source: `x = ${n}` }));
    const editStart = performance.now();
    for (const edit of edits) session.applyEdits([edit], 'api');
    const editTime = performance.now() - editStart;
    const flushStart = performance.now();
    await session.flush();
    const flushTime = performance.now() - flushStart;
    console.log(`\n1,000 edits through a session: ${ms(editTime)} (${(editTime / 1000).toFixed(3)} ms each, ${(sentBytes / 1000).toFixed(0)} B sent per edit on average), then one save: ${ms(flushTime)}`);

    // Responsiveness: health requests keep being answered while a save of the whole notebook runs.
    const app = createApp({ token: 't', sessions, workspace });
    const delay = monitorEventLoopDelay({ resolution: 5 });
    session.applyEdits([{ type: 'set_source', id: code[0]!.id, source: 'y = 1' }], 'api');
    delay.enable();
    let answered = 0;
    let saving = true;
    const ping = async () => {
      while (saving) {
        if ((await app.request('/api/health')).status === 200 && saving) answered++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const pinging = ping();
    const saveStart = performance.now();
    await session.flush();
    const saveTime = performance.now() - saveStart;
    saving = false;
    await pinging;
    delay.disable();
    console.log(`during a ${ms(saveTime)} save: ${answered} health requests answered; longest event-loop stall ${ms(delay.max / 1e6)}`);
    await sessions.dispose();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
