/**
 * Asks notebooks for runs on a schedule, as a load would: each notebook's cell every `periodMs` (staggered a
 * little between notebooks), through the REST API or from one of its sockets, whether or not the earlier runs
 * have ended (a backlog queues). A timer that fires late catches up, so the number of runs asked for only
 * depends on the time. What each REST run answered is kept; socket runs are followed by a `RunObserver`.
 */
import { Agent, request } from 'node:http';
import { z } from 'zod';
import type { CellId } from '../../server/protocol/index.ts';
import type { TestCellmate } from './cellmate.ts';
import { enc } from './notebook-socket.ts';
import { readNumberedLines, type RunObserver } from './run-observer.ts';

export interface LoadTarget {
  path: string;
  /** The `tag` its cell prints (see `numberedLinesCell`). */
  tag: string;
  cell: CellId;
  via: 'rest' | 'socket';
  /** Socket runs are sent from the first; every one of them follows the notebook. */
  sockets: (RunObserver & { send(message: unknown): void })[];
}

/** A REST run's answer: round trip, status, and which run its outputs are from. */
export interface RestReply {
  ms: number;
  status: string;
  run: string | null;
  lines: number;
  problem?: string;
}

export interface LoadRecord {
  target: LoadTarget;
  /** `performance.now()` when each run was asked for, in order. */
  askedAt: number[];
  /** REST only, in the order the answers came. */
  replies: RestReply[];
}

const replySchema = z.object({
  cells: z.array(z.object({ status: z.string(), message: z.string().optional(), outputs: z.array(z.looseObject({ output_type: z.string() })) })),
});

export class RunLoad {
  readonly records: LoadRecord[];
  readonly #cm: TestCellmate;
  readonly #periodMs: number;
  readonly #pendingReplies: Promise<void>[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopped: (() => void) | undefined;

  constructor(cm: TestCellmate, targets: LoadTarget[], periodMs: number) {
    this.#cm = cm;
    this.#periodMs = periodMs;
    this.records = targets.map((target) => ({ target, askedAt: [], replies: [] }));
  }

  /** Asks for runs until `stop()`, or until each notebook was asked `runs` times (then resolves). */
  run(runs = Infinity): Promise<void> {
    const start = performance.now();
    const stagger = this.#periodMs / Math.max(1, this.records.length);
    return new Promise((resolve) => {
      const tick = () => {
        const elapsed = performance.now() - start;
        for (const [index, record] of this.records.entries()) {
          const due = Math.min(runs, Math.floor((elapsed - index * stagger) / this.#periodMs) + 1);
          while (record.askedAt.length < due) this.#ask(record);
        }
        if (this.records.every((record) => record.askedAt.length >= runs)) {
          this.stop();
          resolve();
        }
      };
      this.#timer = setInterval(tick, 10);
      this.#stopped = resolve;
      tick();
    });
  }

  /** Stops asking; resolves once every REST run asked for has answered. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#stopped?.();
    await Promise.all(this.#pendingReplies);
  }

  #ask(record: LoadRecord): void {
    const { target } = record;
    record.askedAt.push(performance.now());
    if (target.via === 'socket') target.sockets[0]?.send({ type: 'execute', cell_ids: [target.cell] });
    else this.#pendingReplies.push(this.#runOverRest(record));
  }

  async #runOverRest(record: LoadRecord): Promise<void> {
    const { target } = record;
    const started = performance.now();
    const response = await postJson(this.#cm, `/api/notebooks/${enc(target.path)}/execute`, { cell_ids: [target.cell] });
    const body = response.body;
    const ms = performance.now() - started;
    const result = replySchema.safeParse(body).data?.cells[0];
    if (response.status !== 200 || !result) {
      record.replies.push({ ms, status: `HTTP ${response.status}`, run: null, lines: 0, problem: JSON.stringify(body).slice(0, 300) });
      return;
    }
    const shown = readNumberedLines(result.outputs, target.tag);
    record.replies.push({ ms, status: result.status, ...shown });
  }
}

/** Round trips of every run asked for: REST answers, or the first socket's ends for socket runs (in order). */
export function roundTrips(record: LoadRecord): number[] {
  if (record.target.via === 'rest') return record.replies.map((reply) => reply.ms);
  const ended = record.target.sockets[0]?.ended ?? [];
  return ended.map((run, i) => run.at - (record.askedAt[i] ?? NaN));
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Each REST run on a connection of its own. Under this load the test process's event loop lags by seconds, and
 * an idle keep-alive connection the server closes just as the client reuses it fails the request ("fetch
 * failed": Node's server and fetch race on the keep-alive timeout); that is the transport's race, not what this
 * test is about. A failure still fails the run, with its cause.
 */
const freshConnections = new Agent({ keepAlive: false });

function postJson(cm: TestCellmate, path: string, payload: unknown): Promise<{ status: number; body: unknown }> {
  const data = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const sent = request(
      `${cm.url}${path}`,
      { method: 'POST', agent: freshConnections, headers: { authorization: `Bearer ${cm.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    sent.on('error', (error) => reject(new Error(`POST ${path} failed: ${error.message}`, { cause: error })));
    sent.end(data);
  });
}
