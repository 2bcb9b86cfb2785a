/**
 * Row 7: a 2,000-cell notebook with 20 MB of outputs (tests/fixtures/big-notebook.ts). Loading and saving it
 * against plain `readFile` + `JSON.parse` and `JSON.stringify` + `writeFile` of the same data; the longest
 * event-loop stall during a save against how long one blocking `JSON.stringify` of it holds the loop; and
 * `/api/health` answer times over HTTP during the save against the same requests with nothing saving.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serializeNotebook } from '../server/store/serializer.ts';
import { Workspace } from '../server/store/storage.ts';
import { bigNotebook } from '../tests/fixtures/big-notebook.ts';
import type { TestCellmate } from '../tests/helpers/cellmate.ts';
import { SETTINGS } from './settings.ts';
import { sample, summarise, type Row } from './stats.ts';

/** Times `/api/health` answers, one after the other, while `busy()` is true (at least `min` of them). */
async function healthTimes(cm: TestCellmate, busy: () => boolean, min = 0): Promise<number[]> {
  const samples: number[] = [];
  while (busy() || samples.length < min) {
    const start = performance.now();
    const response = await fetch(`${cm.url}/api/health`);
    await response.arrayBuffer();
    samples.push(performance.now() - start);
  }
  return samples;
}

export async function saveRows(cm: TestCellmate): Promise<Row[]> {
  const path = 'big.ipynb';
  const doc = bigNotebook();
  const workspace = new Workspace(cm.workspace);
  await workspace.writeNotebook(path, doc);
  const plainPath = join(cm.workspace, 'plain.json');
  const json = JSON.parse(serializeNotebook(doc));
  await writeFile(plainPath, JSON.stringify(json));

  const runs = SETTINGS.saves;
  const loads = await sample(runs, () => workspace.readNotebook(path));
  const plainLoads = await sample(runs, async () => JSON.parse(await readFile(plainPath, 'utf8')));
  const plainSaves = await sample(runs, () => writeFile(plainPath, JSON.stringify(json)));
  const stringifies = await sample(runs, () => JSON.stringify(json));

  const session = await cm.sessions.open(path);
  const cellId = session.doc().cells[0]!.id;
  const saves: number[] = [];
  const stalls: number[] = [];
  const healthDuring: number[] = [];
  for (let n = 0; n <= runs; n++) {
    session.applyEdits([{ type: 'set_source', id: cellId, source: `x = ${n}` }], 'api');
    const delay = monitorEventLoopDelay({ resolution: 5 });
    let saving = true;
    delay.enable();
    const health = healthTimes(cm, () => saving);
    const start = performance.now();
    await session.flush();
    const elapsed = performance.now() - start;
    saving = false;
    const answered = await health;
    delay.disable();
    if (n === 0) continue; // warm-up
    saves.push(elapsed);
    stalls.push(delay.max / 1e6);
    healthDuring.push(...answered);
  }
  await cm.sessions.close(path);
  const healthIdle = await healthTimes(cm, () => false, Math.max(50, healthDuring.length));

  const ms = (samples: number[]) => ({ summary: summarise(samples), unit: 'ms' });
  return [
    { id: '7a', what: 'load the 2,000-cell / 20 MB notebook (read, parse, check)', ours: ms(loads), baseline: { what: '`readFile` + `JSON.parse`', ...ms(plainLoads) } },
    {
      id: '7b',
      what: 'save it (serialise in slices, hash, temp file, fsync, rename)',
      ours: ms(saves),
      baseline: { what: '`JSON.stringify` + `writeFile`', ...ms(plainSaves) },
    },
    {
      id: '7c',
      what: 'longest event-loop stall during that save',
      ours: ms(stalls),
      baseline: { what: 'one blocking `JSON.stringify` of it', ...ms(stringifies) },
      note: 'lower is better: the save yields between slices',
    },
    {
      id: '7d',
      what: '`/api/health` over HTTP while it saves',
      ours: ms(healthDuring),
      baseline: { what: '`/api/health` with nothing saving', ...ms(healthIdle) },
      note: `${healthDuring.length} answers during ${runs} saves`,
    },
  ];
}
