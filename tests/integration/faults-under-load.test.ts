/**
 * A kernel, then the embedded Jupyter Server, SIGKILLed while five notebooks run a cell every 200 ms (through the
 * REST API and from sockets). Each affected notebook is told (its kernel `dead`, with the reason), the run caught
 * in the middle ends `error` with what happened (the runs queued behind it `aborted`): nothing hangs. The cells
 * and outputs from before are kept, in memory and on disk; runs asked for afterwards work on every notebook, on
 * new kernels; and no socket ever shows a line twice, out of order, or from two runs at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { isProcessAlive } from '../helpers/jupyter.ts';
import { enc, executeCells, notebookWithCells } from '../helpers/notebook-socket.ts';
import { percentile, roundTrips, RunLoad, type LoadTarget } from '../helpers/run-load.ts';
import { numberedLinesCell, observeRuns, type EndedRun, type RunObserver } from '../helpers/run-observer.ts';

const NOTEBOOKS = 5;
const PERIOD_MS = 200;
const LINES = 5;
/** A held run has printed this many lines. */
const HELD_AT = 3;

const joined = z.union([z.string(), z.array(z.string())]).transform((text) => [text].flat().join(''));
const savedNotebook = z.object({
  cells: z.array(z.looseObject({ id: z.string(), source: joined, outputs: z.array(z.looseObject({ output_type: z.string(), text: joined.optional() })).optional() })),
});
type SavedNotebook = z.infer<typeof savedNotebook>;

interface FaultNotebook extends LoadTarget {
  observer: RunObserver;
  /** While this file exists, a run waits after HELD_AT lines. */
  hold: string;
  /** The notebook before any kill, as the API returned it. */
  before: SavedNotebook;
  connectionFile: string;
}

let cm: TestCellmate;
const notebooks: FaultNotebook[] = [];

beforeAll(async () => {
  cm = await startTestCellmate();
  for (let index = 0; index < NOTEBOOKS; index++) notebooks.push(await prepare(index));
}, 180_000);

afterAll(async () => {
  await Promise.all(notebooks.map((nb) => nb.observer.close()));
  await cm?.cleanup();
});

async function prepare(index: number): Promise<FaultNotebook> {
  const path = `faults/nb-${index}.ipynb`;
  const tag = `nb${index}`;
  const hold = join(cm.workspace, `hold-${index}`);
  const sources = [`print("kept from before, nb${index}")`, 'from ipykernel import get_connection_file\nprint(get_connection_file())', numberedLinesCell(tag, LINES, { file: hold, after: HELD_AT })];
  const [kept, probe, cell] = await notebookWithCells(cm, path, sources);
  if (!kept || !probe || !cell) throw new Error('cells');
  const [keptRun, probeRun] = await executeCells(cm, path, [kept, probe]);
  expect(keptRun?.status).toBe('ok');
  const observer = await observeRuns(cm, path, cell, tag);
  const before = savedNotebook.parse(await (await cm.api(`/api/notebooks/${enc(path)}`)).json());
  return {
    path,
    tag,
    cell,
    via: index % 2 === 0 ? 'rest' : 'socket',
    sockets: [observer],
    observer,
    hold,
    before,
    connectionFile: probeRun?.outputs[0]?.text?.trim() ?? '',
  };
}

/** The host pid of the kernel process started with `connectionFile` (inside the sandbox it has another). */
function kernelPid(connectionFile: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const isKernel = /python/.test(args[0] ?? '') && args.includes('ipykernel_launcher') && !args.some((arg) => arg.endsWith('launch.py'));
    if (isKernel && args[args.indexOf('-f') + 1] === connectionFile) return Number(entry);
  }
  return undefined;
}

const okRunsSince = (nb: FaultNotebook, from: number) => nb.observer.ended.slice(from).filter((run) => run.status === 'ok');
/** The runs that ended ok after `failed`. */
const okRunsAfter = (nb: FaultNotebook, failed: EndedRun | undefined) => okRunsSince(nb, failed ? nb.observer.ended.indexOf(failed) + 1 : Infinity);
const kernelOf = (run: EndedRun | undefined) => run?.run?.split(':')[0];

/** Holds the next run of each notebook after HELD_AT lines and waits until every one of them is held. */
async function holdRuns(held: FaultNotebook[]): Promise<void> {
  await Promise.all(held.map((nb) => writeFile(nb.hold, '')));
  await waitFor(
    'a run of each notebook to be held',
    () => held.every((nb) => nb.observer.current().isRunning && nb.observer.current().lines === HELD_AT),
    60_000,
  );
}

/** Waits for each notebook's held run to end `error`, lets later runs through, and returns the failed runs. */
async function heldRunsFail(held: FaultNotebook[], since: number[]): Promise<EndedRun[]> {
  const failed = await Promise.all(
    held.map((nb, i) =>
      waitFor(`${nb.path}: the held run to fail`, () => nb.observer.ended.slice(since[i]).find((run) => run.status !== 'ok' && run.status !== 'aborted'), 60_000),
    ),
  );
  await Promise.all(held.map((nb) => rm(nb.hold, { force: true })));
  return failed;
}

describe(`${NOTEBOOKS} notebooks running a cell every ${PERIOD_MS} ms`, () => {
  it('survive a SIGKILLed kernel and a SIGKILLed Jupyter Server: told, failed not hung, kept, running again', { timeout: 300_000 }, async () => {
    const load = new RunLoad(cm, notebooks, PERIOD_MS);
    const loading = load.run();
    await waitFor('every notebook to run', () => notebooks.every((nb) => okRunsSince(nb, 0).length >= 3), 60_000);

    // A kernel killed in the middle of a run.
    const [victim] = notebooks;
    if (!victim) throw new Error('notebooks');
    const firstKernel = kernelOf(victim.observer.ended[0]);
    const pid = kernelPid(victim.connectionFile);
    if (!pid) throw new Error(`no kernel process for ${victim.connectionFile}`);
    const mark = victim.observer.ended.length;
    const states = victim.observer.kernelStates.length;
    await holdRuns([victim]);
    process.kill(pid, 'SIGKILL');
    const [killed] = await heldRunsFail([victim], [mark]);
    expect(killed).toMatchObject({ status: 'error', run: `${firstKernel}:${killed?.run?.split(':')[1]}`, lines: HELD_AT, message: expect.stringContaining('SIGKILL') });
    expect(victim.observer.kernelStates.slice(states)).toContain('dead');
    await waitFor('runs on a new kernel', () => okRunsAfter(victim, killed).length >= 3, 60_000);
    expect(kernelOf(okRunsAfter(victim, killed)[0])).not.toBe(firstKernel);
    expect(isProcessAlive(pid)).toBe(false);

    // The Jupyter Server killed while every notebook is in the middle of a run.
    const server = cm.kernels.supervisor.embedded;
    if (!server) throw new Error('no embedded Jupyter Server');
    const marks = notebooks.map((nb) => nb.observer.ended.length);
    const stateMarks = notebooks.map((nb) => nb.observer.kernelStates.length);
    const kernelsBefore = notebooks.map((nb) => kernelOf(nb.observer.ended.findLast((run) => run.status === 'ok')));
    await holdRuns(notebooks);
    process.kill(server.pid, 'SIGKILL');
    const failed = await heldRunsFail(notebooks, marks);
    for (const run of failed) {
      expect(run).toMatchObject({ status: 'error', lines: HELD_AT, message: expect.stringContaining('The Jupyter Server stopped unexpectedly (SIGKILL)') });
    }
    for (const [i, nb] of notebooks.entries()) expect({ path: nb.path, states: nb.observer.kernelStates.slice(stateMarks[i]) }).toMatchObject({ path: nb.path, states: expect.arrayContaining(['dead']) });
    await waitFor('every notebook to run on a new kernel', () => notebooks.every((nb, i) => okRunsAfter(nb, failed[i]).length >= 3), 120_000);
    await load.stop();
    await loading;
    await Promise.all(load.records.map((record) => record.target.sockets[0]?.waitForEnded(record.askedAt.length, 120_000)));

    for (const [i, { target, replies, askedAt }] of load.records.entries()) {
      const nb = notebooks[i];
      if (!nb) throw new Error('notebook');
      const { path, observer } = nb;
      expect({ path, problems: observer.problems, errors: observer.errors }).toEqual({ path, problems: [], errors: [] });
      // One end per run asked for: nothing hung, nothing ended twice.
      expect({ path, ended: observer.ended.length }).toEqual({ path, ended: askedAt.length });
      expectRunsInOrder(path, observer.ended);
      expect(kernelOf(failed[i])).toBe(kernelsBefore[i]);
      expect(kernelOf(okRunsAfter(nb, failed[i])[0])).not.toBe(kernelsBefore[i]);
      expect(observer.ended.at(-1)?.status).toBe('ok');
      if (target.via === 'rest') {
        expect({ path, answers: replies.length }).toEqual({ path, answers: askedAt.length });
        expect(replies.filter((reply) => reply.problem !== undefined)).toEqual([]);
        // The answers tell the same story as the socket: the same runs ended ok, and as many ended otherwise.
        const okRuns = (runs: readonly { status: string; run: string | null }[]) => runs.filter((run) => run.status === 'ok').map((run) => run.run).sort();
        expect(okRuns(replies)).toEqual(okRuns(observer.ended));
        expect(replies.filter((reply) => reply.status === 'error').length).toBe(observer.ended.filter((run) => run.status === 'error').length);
      }
    }
    // The cells and outputs from before the kills are all there, in the session and on disk.
    for (const nb of notebooks) {
      await (await cm.sessions.open(nb.path)).flush();
      const saved = savedNotebook.parse(JSON.parse(await readFile(join(cm.workspace, nb.path), 'utf8')));
      const live = savedNotebook.parse(await (await cm.api(`/api/notebooks/${enc(nb.path)}`)).json());
      // Every cell as it was, apart from the outputs and the last run's timing of the one that kept running.
      const withoutTiming = (metadata: unknown) =>
        typeof metadata === 'object' && metadata !== null ? Object.fromEntries(Object.entries(metadata).filter(([key]) => key !== 'execution')) : metadata;
      const asBefore = (doc: SavedNotebook) =>
        doc.cells.map((cell) => (cell.id === nb.cell ? { ...cell, outputs: [], execution_count: null, metadata: withoutTiming(cell.metadata) } : cell));
      expect(asBefore(saved)).toEqual(asBefore(nb.before));
      expect(asBefore(live)).toEqual(asBefore(nb.before));
      expect(JSON.stringify(nb.before)).toContain(`kept from before, ${nb.tag}`);
    }
    const all = load.records.flatMap(roundTrips);
    console.info(`faults under load: ${all.length} runs; round trip p50 ${percentile(all, 50).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms`);
  });
});

/**
 * The runs of one notebook as its socket saw them end: each kernel's runs numbered 1, 2, 3… without a gap or a
 * repeat, each `ok` run whole; a run that failed is the last of its kernel, and only runs that never started
 * (`aborted`, showing nothing of theirs) follow it before the next kernel's first.
 */
function expectRunsInOrder(path: string, ended: readonly EndedRun[]): void {
  const next = new Map<string, number>();
  let lastKernel: string | undefined;
  let afterFailure = false;
  const seen: string[] = [];
  for (const run of ended) {
    const where = `${path}, the ${seen.length + 1}th end (${JSON.stringify(run)})`;
    if (run.status === 'aborted') {
      expect(afterFailure, `${where}: aborted without a failure before it`).toBe(true);
      expect(run.run, where).toBeNull();
      seen.push('aborted');
      continue;
    }
    const [kernel, number] = (run.run ?? ':').split(':');
    if (!kernel || !number) throw new Error(`${where}: no numbered line`);
    if (kernel !== lastKernel) expect(next.has(kernel), `${where}: an earlier kernel came back`).toBe(false);
    expect(Number(number), where).toBe(next.get(kernel) ?? 1);
    expect(afterFailure && kernel === lastKernel, `${where}: ran on a kernel that had failed`).toBe(false);
    next.set(kernel, Number(number) + 1);
    lastKernel = kernel;
    if (run.status === 'ok') expect(run.lines, where).toBe(LINES);
    afterFailure = run.status !== 'ok';
    seen.push(run.run ?? '');
  }
}
