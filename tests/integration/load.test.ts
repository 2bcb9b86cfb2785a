/**
 * Load: twenty notebooks, each with its own kernel, each asked to run a cell every 200 ms for a minute
 * (`CELLMATE_LOAD_SECONDS` shortens it while working on this file), with two tabs' worth of WebSockets on each.
 * Every notebook is run from one of its sockets, as a page runs cells. (REST runs under load are in
 * faults-under-load.test.ts. In full-suite runs a REST execute held open behind this minute's backlog was
 * sometimes reset, cause not yet found: that is open work for the benchmark, not something to paper over here.)
 * Every run must end `ok`, and
 * both sockets of a notebook must see exactly the outputs of every run, in order, each once; no socket gets an
 * error. Runs are asked for on schedule whether or not the kernels keep up (a backlog just queues): the test
 * checks correctness, and prints the round trips (request to result) without asserting on them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { executeCells, notebookWithCells } from '../helpers/notebook-socket.ts';
import { percentile, roundTrips, RunLoad, type LoadTarget } from '../helpers/run-load.ts';
import { numberedLinesCell, observeRuns, type RunObserver } from '../helpers/run-observer.ts';

const SECONDS = z.coerce.number().positive().default(60).parse(process.env.CELLMATE_LOAD_SECONDS);
const NOTEBOOKS = 20;
const PERIOD_MS = 200;
const LINES = 5;
/** Runs asked of each notebook. */
const RUNS = Math.round((SECONDS * 1000) / PERIOD_MS);
/** Hang guard for the backlog to drain once every run was asked for (generous: this checks correctness, not speed). */
const DRAIN_MS = Math.max(120_000, SECONDS * 6_000);

let cm: TestCellmate;
const targets: LoadTarget[] = [];

beforeAll(async () => {
  cm = await startTestCellmate();
  // Kernels start a few at a time: twenty sandboxed starts at once on two cores would only test the start timeout.
  for (let first = 0; first < NOTEBOOKS; first += 4) {
    const batch = Array.from({ length: Math.min(4, NOTEBOOKS - first) }, (_, i) => first + i);
    targets.push(...(await Promise.all(batch.map(prepare))));
  }
}, 300_000);

afterAll(async () => {
  await Promise.all(targets.flatMap((target) => target.sockets.map((socket) => socket.close())));
  await cm?.cleanup();
});

async function prepare(index: number): Promise<LoadTarget> {
  const path = `load/nb-${index}.ipynb`;
  const tag = `nb${index}`;
  const [warm, cell] = await notebookWithCells(cm, path, ['warm = True', numberedLinesCell(tag, LINES)]);
  if (!warm || !cell) throw new Error('cells');
  const sockets = await Promise.all([observeRuns(cm, path, cell, tag), observeRuns(cm, path, cell, tag)]);
  // The kernel is started (and warm) before the minute begins.
  const [ready] = await executeCells(cm, path, [warm]);
  expect(ready?.status).toBe('ok');
  return { path, tag, cell, via: 'socket', sockets };
}

describe(`${NOTEBOOKS} notebooks, a run every ${PERIOD_MS} ms each for ${SECONDS} s, two sockets each`, () => {
  it('ends every run ok and shows both sockets every run, in order, once', { timeout: SECONDS * 1000 + DRAIN_MS + 60_000 }, async () => {
    const load = new RunLoad(cm, targets, PERIOD_MS);
    const began = performance.now();
    await load.run(RUNS);
    const askedFor = performance.now() - began;
    await load.stop();
    await Promise.all(targets.flatMap((target) => target.sockets.map((socket) => socket.waitForEnded(RUNS, DRAIN_MS))));
    const drained = performance.now() - began;

    for (const { target, replies } of load.records) {
      const { path } = target;
      const runs = (socket: RunObserver) => socket.ended.map(({ status, run, lines }) => ({ status, run, lines }));
      const kernelTag = target.sockets[0]?.ended[0]?.run?.split(':')[0] ?? 'none';
      const expected = Array.from({ length: RUNS }, (_, i) => ({ status: 'ok', run: `${kernelTag}:${i + 1}`, lines: LINES }));
      for (const socket of target.sockets) {
        expect({ path, runs: runs(socket) }).toEqual({ path, runs: expected });
        expect({ path, problems: socket.problems, errors: socket.errors }).toEqual({ path, problems: [], errors: [] });
        expect({ path, lost: socket.kernelStates.filter((state) => state === 'dead' || state === 'restarting') }).toEqual({ path, lost: [] });
      }
      if (target.via === 'rest') {
        // Answers may come back in any order; together they are every run, each once, each whole.
        const answered = replies.map(({ status, run, lines, problem }) => ({ status, run, lines, problem }));
        answered.sort((a, b) => Number(a.run?.split(':')[1]) - Number(b.run?.split(':')[1]));
        expect({ path, answered }).toEqual({ path, answered: expected.map((run) => ({ ...run, problem: undefined })) });
      }
    }
    const all = load.records.flatMap(roundTrips);
    expect(all).toHaveLength(NOTEBOOKS * RUNS);
    console.info(
      `load: ${NOTEBOOKS * RUNS} runs asked for in ${(askedFor / 1000).toFixed(1)} s, all ended after ${(drained / 1000).toFixed(1)} s; ` +
        `round trip p50 ${percentile(all, 50).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms, max ${percentile(all, 100).toFixed(0)} ms`,
    );
  });
});
