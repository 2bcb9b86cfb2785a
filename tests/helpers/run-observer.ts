/**
 * Follows a notebook WebSocket the way a tab does (the snapshot, then every edit in the server's order) and
 * checks what one cell's runs show. The cell prints numbered lines made by `numberedLinesCell`:
 * `<tag>:<kernel>:<run>:<line>`, where `kernel` is drawn once per kernel process and `run` counts the runs in it.
 * While a run goes on, the cell must be shown running, with the first lines of that one run, in order, each
 * once; when it ends, the run is recorded with what it showed. Anything else is a problem, kept with the message
 * that caused it.
 */
import WebSocket from 'ws';
import { applyEdit, type CellId, type CellRunStatus, type KernelState, type NotebookDoc, type Output, type ServerMessage } from '../../server/protocol/index.ts';
import { isServerMessage } from '../../web/src/api/server-message.ts';
import type { TestCellmate } from './cellmate.ts';
import { enc } from './notebook-socket.ts';

/**
 * Python for a cell that prints `lines` lines `<tag>:<kernel>:<run>:<line>`; it needs no other cell to have run
 * (a new kernel starts its own count). With `hold`, a run that has printed `hold.after` lines waits while the
 * file `hold.file` exists, so a test can catch runs in the middle.
 */
export function numberedLinesCell(tag: string, lines: number, hold?: { file: string; after: number }): string {
  return [
    'import os, time, uuid',
    "_k = globals().setdefault('_kernel_tag', uuid.uuid4().hex[:8])",
    "_r = globals()['_run'] = globals().get('_run', 0) + 1",
    `for _i in range(${lines}):`,
    ...(hold ? [`    while _i == ${hold.after} and os.path.exists(${JSON.stringify(hold.file)}): time.sleep(0.01)`] : []),
    `    print(f"${tag}:{_k}:{_r}:{_i}", flush=True)`,
  ].join('\n');
}

/** What one run of the cell showed when it ended. */
export interface EndedRun {
  status: CellRunStatus;
  /** `<kernel>:<run>`, or null when it showed no numbered line (e.g. aborted before it started). */
  run: string | null;
  /** How many numbered lines it showed (all of them for an `ok` run). */
  lines: number;
  /** `performance.now()` when the socket received the end. */
  at: number;
  message?: string;
}

export interface RunObserver {
  readonly ended: readonly EndedRun[];
  readonly problems: readonly string[];
  /** `error` messages the server sent this socket. */
  readonly errors: readonly string[];
  readonly kernelStates: readonly KernelState[];
  /** What the cell shows now: whether a run is going on, which one, and how many of its lines. */
  current(): { isRunning: boolean; run: string | null; lines: number };
  /** Resolves once `count` runs have ended (or rejects after `timeoutMs`). */
  waitForEnded(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

interface Parsed {
  run: string | null;
  lines: number;
  problem?: string;
}

/** An nbformat output as a socket edit or a REST reply carries it. */
type OutputLike = { output_type: string; name?: unknown; text?: unknown };

/** Reads the cell's outputs as numbered lines of one run: `problem` says what is wrong with them. */
export function readNumberedLines(outputs: readonly OutputLike[], tag: string): Parsed {
  const text = outputs.map((output) => (output.output_type === 'stream' && output.name === 'stdout' && typeof output.text === 'string' ? output.text : '')).join('');
  const others = outputs.filter((output) => output.output_type !== 'stream' && output.output_type !== 'error');
  if (others.length > 0) return { run: null, lines: 0, problem: `unexpected outputs ${JSON.stringify(others).slice(0, 200)}` };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let run: string | null = null;
  for (const [index, line] of lines.entries()) {
    const match = /^([^:]+):([0-9a-f]{8}):(\d+):(\d+)$/.exec(line);
    if (!match || match[1] !== tag) return { run, lines: index, problem: `line ${index} is ${JSON.stringify(line)}` };
    const lineRun = `${match[2]}:${match[3]}`;
    if (run !== null && lineRun !== run) return { run, lines: index, problem: `line ${index} is from run ${lineRun}, not ${run}` };
    run = lineRun;
    if (Number(match[4]) !== index) return { run, lines: index, problem: `line ${index} is numbered ${match[4]}` };
  }
  return { run, lines: lines.length };
}

/** Opens a notebook's WebSocket and follows `cellId`, whose runs print `tag` lines (see `numberedLinesCell`). */
export async function observeRuns(cm: TestCellmate, path: string, cellId: CellId, tag: string): Promise<RunObserver & { send(message: unknown): void }> {
  const ws = new WebSocket(`${cm.url.replace('http', 'ws')}/api/notebooks/${enc(path)}/ws?token=${cm.token}`);
  const ended: EndedRun[] = [];
  const problems: string[] = [];
  const errors: string[] = [];
  const kernelStates: KernelState[] = [];
  const waiters = new Set<() => void>();
  let doc: NotebookDoc | null = null;
  /** The run the cell shows while it runs, and how many of its lines. */
  let showing: Parsed = { run: null, lines: 0 };
  let isRunning = false;

  const outputsOfCell = (): Output[] => {
    const cell = doc?.cells.find((c) => c.id === cellId);
    return cell?.cell_type === 'code' ? cell.outputs : [];
  };

  const onMessage = (message: ServerMessage) => {
    switch (message.type) {
      case 'snapshot':
        doc = message.doc;
        isRunning = message.runtime[cellId]?.status === 'running';
        showing = readNumberedLines(outputsOfCell(), tag);
        kernelStates.push(message.kernel.state);
        return;
      case 'edit': {
        if (!doc) return void problems.push('an edit before the snapshot');
        doc = applyEdit(doc, message.edit);
        const edit = message.edit;
        const touches = ('id' in edit && edit.id === cellId) || (edit.type === 'clear_outputs' && edit.ids.includes(cellId));
        if (!touches || !isRunning) return;
        const next = readNumberedLines(outputsOfCell(), tag);
        if (next.problem) problems.push(`while running: ${next.problem}`);
        // Lines only ever grow during a run (a clear comes only at its start).
        else if (next.run !== null && showing.run !== null && (next.run !== showing.run || next.lines < showing.lines)) {
          problems.push(`while running, ${showing.run} with ${showing.lines} lines became ${next.run} with ${next.lines}`);
        }
        if (edit.type !== 'set_execution_count') showing = next;
        return;
      }
      case 'runtime': {
        if (message.cell_id !== cellId) return;
        const { status } = message.runtime;
        // Asked to run again while it runs: the tab must go on showing it running.
        if (status === 'queued' && isRunning) problems.push('a running cell was shown queued');
        if (status === 'running') {
          isRunning = true;
          showing = readNumberedLines(outputsOfCell(), tag);
          if (showing.lines > 0) problems.push(`a run started showing ${showing.lines} old lines`);
        }
        if (status === 'ok' || status === 'error' || status === 'aborted') {
          const shown = readNumberedLines(outputsOfCell(), tag);
          if (shown.problem) problems.push(`at the end: ${shown.problem}`);
          const run = isRunning ? shown.run : null;
          const record: EndedRun = { status, run, lines: isRunning ? shown.lines : 0, at: performance.now() };
          if (message.runtime.message) record.message = message.runtime.message;
          ended.push(record);
          isRunning = false;
          for (const waiter of waiters) waiter();
        }
        return;
      }
      case 'kernel':
        kernelStates.push(message.kernel.state);
        return;
      case 'error':
        errors.push(message.message);
        return;
      default:
        return;
    }
  };

  ws.on('message', (data) => {
    const parsed: unknown = JSON.parse(String(data));
    if (isServerMessage(parsed)) onMessage(parsed);
    else problems.push(`a frame that is not a server message: ${String(data).slice(0, 200)}`);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('close', (code) => {
    if (code !== 1000 && code !== 1005) problems.push(`the socket closed with ${code}`);
  });

  return {
    ended,
    problems,
    errors,
    kernelStates,
    current: () => ({ isRunning, run: showing.run, lines: showing.lines }),
    send: (message) => ws.send(JSON.stringify(message)),
    waitForEnded: (count, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (ended.length < count) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${path}: ${ended.length} of ${count} runs ended after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close(1000);
      }),
  };
}
