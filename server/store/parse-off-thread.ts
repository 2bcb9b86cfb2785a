/**
 * Notebook bytes → the model without holding the event loop. Small notebooks are parsed at once; larger ones in
 * a worker thread, which also keeps a notebook built to exhaust memory from taking the server down with it.
 * The cells come back in batches of about a megabyte, each received in its own turn of the event loop, so other
 * requests are answered all along. The thread starts on demand and stops after a while without work.
 *
 * @example
 *   const { doc, warnings } = await parseNotebookBytes(await readFile(file), resolveLimits());
 */
import { Worker } from 'node:worker_threads';
import type { CellDoc, NotebookDoc } from '../protocol/index.ts';
import { CellmateError, InvalidNotebook, PayloadTooLarge, type HttpStatus } from '../errors.ts';
import type { ParseLimits } from '../limits.ts';
import { parseNotebook, type ParsedNotebook } from './serializer.ts';

/** Parsed where they are: a few milliseconds' work, less than starting the thread. */
const INLINE_BYTES = 2 * 2 ** 20;
/** How long an idle thread is kept for the next large notebook (starting one takes up to a second or two). */
const IDLE_MS = 5 * 60_000;

export type ParserRequest = { type: 'parse'; bytes: Uint8Array; limits: ParseLimits } | { type: 'next' };
export type ParserReply =
  | { type: 'parsed'; head: NotebookDoc; warnings: string[]; cellCount: number }
  | { type: 'failed'; message: string; status?: HttpStatus }
  | { type: 'cells'; cells: CellDoc[] };

/**
 * Parses an `.ipynb` file's bytes like `parseNotebook` (same repairs, warnings and errors). Bytes over a couple
 * of megabytes are handed to the thread: the caller must not use them afterwards. The size limit is the
 * caller's to check, before reading the bytes.
 */
export async function parseNotebookBytes(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedNotebook> {
  const { maxCells, maxJsonDepth } = limits;
  if (bytes.byteLength > INLINE_BYTES) return parser.parse(bytes, { maxCells, maxJsonDepth });
  return parseNotebook(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), { maxCells, maxJsonDepth });
}

/** One worker thread, one notebook at a time; a thread that fails is dropped and the next parse starts another. */
class ParserThread {
  #worker: Worker | undefined;
  #idle: NodeJS.Timeout | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  parse(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedNotebook> {
    const run = this.#queue.then(() => this.#parse(bytes, limits));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #parse(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedNotebook> {
    clearTimeout(this.#idle);
    const worker = (this.#worker ??= this.#start());
    // Held while it works: a caller waiting for its answer must keep the process alive.
    worker.ref();
    try {
      // Handed over rather than copied when the bytes are the whole of their buffer.
      const whole = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const buffer = whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer;
      const first = await ask(worker, { type: 'parse', bytes: new Uint8Array(buffer), limits }, [buffer]);
      if (first.type === 'failed') throw rebuild(first);
      if (first.type !== 'parsed') throw new Error(`The notebook parser answered "${first.type}" to a parse`);
      const cells: CellDoc[] = [];
      while (cells.length < first.cellCount) {
        const batch = await ask(worker, { type: 'next' });
        if (batch.type !== 'cells' || batch.cells.length === 0) throw new Error('The notebook parser stopped before the last cell');
        for (const cell of batch.cells) cells.push(cell);
      }
      return { doc: { ...first.head, cells }, warnings: first.warnings };
    } catch (error) {
      // A refused notebook leaves a healthy thread; anything else, a thread not to trust with the next one.
      if (!(error instanceof CellmateError)) this.#stop();
      throw error;
    } finally {
      if (this.#worker) {
        this.#worker.unref();
        this.#idle = setTimeout(() => this.#stop(), IDLE_MS).unref();
      }
    }
  }

  #start(): Worker {
    const worker = new Worker(new URL('./parse-worker-boot.mjs', import.meta.url));
    const forget = () => {
      if (this.#worker === worker) this.#worker = undefined;
    };
    worker.on('error', forget);
    worker.on('exit', forget);
    return worker;
  }

  #stop(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    void worker?.terminate();
  }
}

const parser = new ParserThread();

/** Sends one request and waits for its reply, or for the thread's end (a notebook too big for its memory). */
function ask(worker: Worker, request: ParserRequest, transfer: ArrayBuffer[] = []): Promise<ParserReply> {
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: ParserReply) => {
      done();
      resolve(reply);
    };
    const onError = (error: Error & { code?: string }) => {
      done();
      reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new PayloadTooLarge('The notebook needs more memory to read than the server has for it') : error);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`The notebook parser stopped (exit code ${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(request, transfer);
  });
}

/** The worker's refusal as the same typed error `parseNotebook` throws. */
function rebuild(failure: { message: string; status?: HttpStatus }): Error {
  if (failure.status === 413) return new PayloadTooLarge(failure.message);
  if (failure.status === 400) return new InvalidNotebook(failure.message);
  return failure.status ? new CellmateError(failure.message, failure.status) : new Error(failure.message);
}
