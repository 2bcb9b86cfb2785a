/**
 * The server SIGKILLed while it saves, hundreds of times, on notebooks of about 2 KB, 1 MB and 20 MB: a child
 * process types into a notebook through the real session stack (session manager, autosave, disk sync, atomic
 * writes) and is killed at seeded random moments — right after it opens, while a save serialises, in the
 * middle of a temp file's write, between saves. After every kill the file must be one complete version, the
 * one last reported written or the one being written then (nothing that was reported saved is lost), and the
 * next start must clean up the dead writer's temp files.
 *
 * The child is bundled once (esbuild) so each start costs a fraction of a second, and the next child loads
 * while the current one types. `CELLMATE_TEST_SEED` replays a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotebookDoc } from '../../server/protocol/index.ts';
import { SessionManager } from '../../server/sessions/session-manager.ts';
import { parseNotebook, serializeNotebook } from '../../server/store/serializer.ts';
import { Workspace } from '../../server/store/storage.ts';
import { baseNotebook, editNumber, notebookAfter, type NotebookSize } from '../fixtures/store/typing-versions.ts';
import { noKernels } from '../helpers/no-kernels.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

const SEED = Number(process.env['CELLMATE_TEST_SEED'] ?? 1_723_311);
const TEMP_SUFFIX = '.cellmate-tmp';
/** Anything a child should do (load, open, write a line) happens well within this; only a hang hits it. */
const HANG_GUARD_MS = 30_000;

let base: string;
let bundle: string;
const children = new Set<TypingChild>();

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'cellmate-kill-saving-'));
  bundle = join(base, 'typing-loop.mjs');
  const server = join(import.meta.dirname, '..', '..', 'server');
  await build({
    // Big notebooks are parsed in a worker thread whose entry sits beside the store's code: bundled there too.
    entryPoints: {
      'typing-loop': join(import.meta.dirname, '..', 'fixtures', 'store', 'typing-loop.ts'),
      ...(existsSync(join(server, 'store', 'parse-worker.ts')) ? { 'parse-worker-boot': join(server, 'store', 'parse-worker.ts') } : {}),
    },
    outdir: base,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // CommonJS dependencies bundled into an ES module still call require() for Node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
});
afterAll(async () => {
  await Promise.all([...children].map((child) => child.kill()));
  await rm(base, { recursive: true, force: true });
});

/** One child process running the typing loop, with its stdout as lines a test can wait on. */
class TypingChild {
  readonly process: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<NodeJS.Signals | number | null>;
  #buffered = '';
  #stderr = '';
  readonly #listeners = new Set<(line: string) => void>();

  constructor() {
    this.process = spawn(process.execPath, [bundle], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(this);
    this.process.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (this.#buffered + chunk).split('\n');
      this.#buffered = parts.pop() ?? '';
      for (const line of parts) {
        this.lines.push(line);
        for (const listener of this.#listeners) listener(line);
      }
    });
    this.process.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk));
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve(signal ?? code)));
    void this.exited.then(() => children.delete(this));
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** Calls `listener` on every line from now on; returns the function that stops it. */
  onLine(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The first line (already seen or still to come) that `matches`. */
  waitLine(what: string, matches: (line: string) => boolean): Promise<string> {
    const seen = this.lines.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`no "${what}" line from the typing child within ${HANG_GUARD_MS} ms; stderr: ${this.#stderr}`));
      }, HANG_GUARD_MS);
      const stop = this.onLine((line) => {
        if (!matches(line)) return;
        clearTimeout(timer);
        stop();
        resolve(line);
      });
      void this.exited.then((how) => {
        clearTimeout(timer);
        stop();
        reject(new Error(`the typing child ended (${String(how)}) before "${what}"; stderr: ${this.#stderr}`));
      });
    });
  }

  start(root: string, path: string, seed: number, autosaveMs: number): void {
    this.process.stdin!.write(`${root}\t${path}\t${seed}\t${autosaveMs}\n`);
  }

  /** SIGKILLs the child (now) and resolves once it is gone. */
  kill(): Promise<NodeJS.Signals | number | null> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    return this.exited;
  }

  get stderr(): string {
    return this.#stderr;
  }
}

/** Temp files in `folder`, with the pid of the process that wrote each. */
async function tempFiles(folder: string): Promise<{ name: string; pid: number }[]> {
  return (await readdir(folder))
    .filter((name) => name.startsWith('.') && name.endsWith(TEMP_SUFFIX))
    .map((name) => ({ name, pid: Number(/\.(\d+)-[0-9a-f]+\.cellmate-tmp$/.exec(name)?.[1]) }));
}

/**
 * When a round's kill comes: a delay after the notebook opened, after a save began, once a temp file holds
 * bytes, or after a save ended.
 */
type Anchor = 'opened' | 'writing' | 'temp' | 'wrote';

interface SizePlan {
  size: NotebookSize;
  kills: number;
  /** Kill moments taken in turn; without it, each round draws one. */
  rotation?: Anchor[];
  autosaveMs: number;
  /** The longest delay after each anchor (a save of the size takes about `writing`). */
  windowMs: Record<Anchor, number>;
}

const PLANS: SizePlan[] = [
  { size: 'small', kills: 110, autosaveMs: 5, windowMs: { opened: 120, writing: 8, temp: 2, wrote: 20 } },
  { size: 'medium', kills: 80, autosaveMs: 10, windowMs: { opened: 300, writing: 80, temp: 15, wrote: 60 } },
  // Each round reads, saves and checks 20 MB: few rounds, each moment once.
  { size: 'large', kills: 4, rotation: ['temp', 'wrote', 'writing', 'opened'], autosaveMs: 20, windowMs: { opened: 1500, writing: 1000, temp: 150, wrote: 300 } },
];

/** Arms the kill of `child` per the anchor; resolves once it is dead. */
function killAt(child: TypingChild, anchor: Anchor, delayMs: number, folder: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let isFired = false;
    const fire = () => {
      if (isFired) return;
      isFired = true;
      stopLines();
      watcher?.close();
      const killNow = () => void child.kill().then(() => resolve(), reject);
      if (delayMs === 0) killNow();
      else setTimeout(killNow, delayMs);
    };
    const prefix = `${anchor} `;
    const stopLines = child.onLine((line) => {
      if (anchor !== 'temp' && line.startsWith(prefix)) fire();
    });
    if (anchor !== 'temp' && child.lines.some((line) => line.startsWith(prefix))) fire();
    // A temp file holding bytes means the kill lands in the middle of a write (or, when the write outran the
    // watcher, just after it: the next one is waited for).
    const watcher =
      anchor === 'temp'
        ? watch(folder, (_event, name) => {
            if (isFired || !name?.endsWith(TEMP_SUFFIX) || !name.includes(`.${child.pid}-`)) return;
            void stat(join(folder, name)).then((info) => info.size > 0 && fire(), () => undefined);
          })
        : undefined;
    const guard = setTimeout(() => {
      if (isFired) return;
      fire();
      reject(new Error(`the ${anchor} moment never came within ${HANG_GUARD_MS} ms; stderr: ${child.stderr}`));
    }, HANG_GUARD_MS);
    void child.exited.then(() => clearTimeout(guard));
  });
}

/** The last `wrote k` of a child, and the `writing k` after it (a save in flight when it died), if any. */
function savesOf(lines: readonly string[]): { wrote: number | undefined; inFlight: number | undefined } {
  let wrote: number | undefined;
  let inFlight: number | undefined;
  for (const line of lines) {
    const [word, k] = line.split(' ');
    if (word === 'writing') inFlight = Number(k);
    if (word === 'wrote') {
      wrote = Number(k);
      inFlight = undefined;
    }
  }
  return { wrote, inFlight };
}

describe('the server killed while saving', () => {
  it.each(PLANS)('$size notebook: $kills kills, never a truncated or missing file, nothing reported saved lost', { timeout: 240_000 }, async (plan) => {
    const root = join(base, plan.size);
    const folder = join(root, 'nb');
    await mkdir(folder, { recursive: true });
    const path = `nb/${plan.size}.ipynb`;
    const file = join(root, path);
    const workspace = new Workspace(root);
    await workspace.writeNotebook(path, baseNotebook(plan.size));
    const random = seededRandom(SEED + plan.kills);
    const anchors: Anchor[] = ['opened', 'writing', 'temp', 'wrote'];

    // What the file held after the previous round: every later version is rebuilt from it.
    let known: { k: number; doc: NotebookDoc } = { k: 0, doc: baseNotebook(plan.size) };
    const seen = { midWrite: 0, lostEdits: 0, progress: 0 };
    let next = new TypingChild();
    for (let round = 0; round < plan.kills; round++) {
      const child = next;
      next = new TypingChild(); // loads while this one types
      const anchor = plan.rotation?.[round % plan.rotation.length] ?? anchors[Math.floor(random() * anchors.length)]!;
      const delayMs = random() < 0.25 ? 0 : Math.round(random() * plan.windowMs[anchor]);
      const context = `${plan.size} round ${round} (seed ${SEED}, kill ${delayMs} ms after "${anchor}")`;

      await child.waitLine('ready', (line) => line === 'ready');
      const killed = killAt(child, anchor, delayMs, folder);
      child.start(root, path, Math.floor(random() * 2 ** 31), plan.autosaveMs);
      const opened = Number((await child.waitLine('opened', (line) => line.startsWith('opened '))).split(' ')[1]);
      expect(opened, `${context}: opens the version on disk`).toBe(known.k);
      // Opening cleaned what killed writers left (this child's own writes may have begun meanwhile).
      const foreign = (await tempFiles(folder)).filter((temp) => temp.pid !== child.pid);
      expect(foreign, `${context}: temp files of dead writers are gone once the notebook is open`).toEqual([]);
      await killed;

      if ((await tempFiles(folder)).length > 0) seen.midWrite++;
      const text = await readFile(file, 'utf8').catch((error: unknown) => {
        throw new Error(`${context}: the notebook is missing: ${String(error)}`);
      });
      const { doc, warnings } = parseNotebook(text);
      expect(warnings, context).toEqual([]);
      const k = editNumber(doc);
      const { wrote, inFlight } = savesOf(child.lines);
      const allowed = [wrote ?? known.k, ...(inFlight === undefined ? [] : [inFlight])];
      expect(allowed, `${context}: the file is the last version reported saved, or the one being saved`).toContain(k);
      const lastEdit = Math.max(known.k, ...child.lines.filter((line) => line.startsWith('edit ')).map((line) => Number(line.split(' ')[1])));
      if (k < lastEdit) seen.lostEdits++;
      if (k > known.k) seen.progress++;
      const expected = notebookAfter(k, known.doc, known.k);
      expect(text === serializeNotebook(expected), `${context}: the file is exactly version ${k}, complete`).toBe(true);
      known = { k, doc: expected };
    }
    await next.kill();

    // The kills did land in the places that matter: inside writes, and with the typing moving on between them.
    if (plan.size !== 'small') expect(seen.midWrite, 'kills in the middle of a write').toBeGreaterThan(0);
    expect(seen.progress, 'rounds whose typing reached the disk').toBeGreaterThan(0);
    expect(seen.lostEdits, 'rounds killed with typing not yet saved').toBeGreaterThan(0);

    // The next start of the server, in this process: the leftovers go as the notebook opens, the file reads whole.
    const sessions = new SessionManager({ workspace, kernels: noKernels, watchFiles: false });
    const session = await sessions.open(path);
    expect(editNumber(session.doc())).toBe(known.k);
    expect(await tempFiles(folder)).toEqual([]);
    await sessions.dispose();
  });
});
