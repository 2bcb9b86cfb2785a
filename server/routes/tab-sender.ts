/**
 * Sends one tab its messages without letting a slow client make the server buffer without bound. While the
 * socket's send buffer is above a high-water mark, output updates (`set_outputs` edits) are held back, one per
 * cell: a newer one replaces the older (it carries the cell's whole outputs), and the latest is sent once the
 * buffer drains. An edit that touches those outputs (clear, delete, type change, document replace) first sends
 * the held update (so does the cell's runtime changing), so the tab applies edits in the server's order minus the
 * superseded intermediate states; the final state always arrives. Everything else goes out at once. A client so far behind that its buffer passes a
 * hard limit is disconnected; it reconnects and gets a fresh snapshot.
 */
import WebSocket from 'ws';
import type { WSContext } from 'hono/ws';
import type { CellId, NotebookEdit, ServerMessage } from '../protocol/index.ts';

export interface TabSocket {
  isOpen(): boolean;
  send(text: string): void;
  /** Bytes queued in the socket but not sent yet. */
  bufferedAmount(): number;
  close(code: number, reason: string): void;
}

export interface TabSenderOptions {
  /** Above this many buffered bytes, output updates are held back. Default 1 MiB. */
  highWaterBytes?: number;
  /** Above this many, the client is disconnected. Default 64 MiB. */
  hardLimitBytes?: number;
  /** How often held updates are retried. Default 50 ms. */
  retryMs?: number;
}

/** Close code for a client that could not keep up (it reconnects). */
export const TOO_SLOW = 4008;

type OutputUpdate = Extract<ServerMessage, { type: 'edit' }> & { edit: Extract<NotebookEdit, { type: 'set_outputs' }> };

export class TabSender {
  readonly #socket: TabSocket;
  readonly #highWater: number;
  readonly #hardLimit: number;
  readonly #retryMs: number;
  readonly #held = new Map<CellId, OutputUpdate>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(socket: TabSocket, options: TabSenderOptions = {}) {
    this.#socket = socket;
    this.#highWater = options.highWaterBytes ?? 2 ** 20;
    this.#hardLimit = options.hardLimitBytes ?? 64 * 2 ** 20;
    this.#retryMs = options.retryMs ?? 50;
  }

  /** Output updates held back now (for tests and diagnostics). */
  get heldCount(): number {
    return this.#held.size;
  }

  send(message: ServerMessage): void {
    if (this.#disposed || !this.#socket.isOpen()) return;
    if (isOutputUpdate(message)) {
      const id = message.edit.id;
      this.#held.delete(id);
      if (this.#socket.bufferedAmount() > this.#highWater) {
        this.#held.set(id, message);
        this.#arm();
        return;
      }
      this.#flushHeld();
      this.#write(message);
      return;
    }
    const touched = touchedOutputs(message);
    if (touched === 'all') this.#flushHeld();
    else for (const id of touched) this.#flushOne(id);
    this.#write(message);
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#held.clear();
  }

  #write(message: ServerMessage): void {
    if (!this.#socket.isOpen()) return;
    this.#socket.send(serialize(message));
    if (this.#socket.bufferedAmount() > this.#hardLimit) {
      this.dispose();
      this.#socket.close(TOO_SLOW, 'The connection is too slow for this notebook; reconnect');
    }
  }

  #flushOne(id: CellId): void {
    const held = this.#held.get(id);
    if (!held) return;
    this.#held.delete(id);
    this.#write(held);
  }

  #flushHeld(): void {
    const held = [...this.#held.values()];
    this.#held.clear();
    for (const message of held) this.#write(message);
  }

  #arm(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#disposed || this.#held.size === 0) return;
      if (this.#socket.bufferedAmount() > this.#highWater) this.#arm();
      else this.#flushHeld();
    }, this.#retryMs);
  }
}

/** One text per message, however many tabs it goes to: a broadcast hands every tab the same object. */
const texts = new WeakMap<ServerMessage, string>();

function serialize(message: ServerMessage): string {
  let text = texts.get(message);
  if (text === undefined) {
    text = JSON.stringify(message);
    texts.set(message, text);
  }
  return text;
}

/** What a WebSocket's frames are written to: Node's TCP socket under it. */
export interface Transport {
  cork(): void;
  uncork(): void;
}

/**
 * Returns `hold()`: called before each write, it corks `transport` until the end of the current tick, so that
 * messages sent together (a run's end: its outputs, count, timing, status) leave in one system call instead of
 * one each. Nothing waits: the writes go out as soon as the code that made them is done.
 */
export function holdWritesForTick(transport: Transport): () => void {
  let isHeld = false;
  const release = () => {
    isHeld = false;
    transport.uncork();
  };
  return () => {
    if (isHeld) return;
    isHeld = true;
    transport.cork();
    process.nextTick(release);
  };
}

/**
 * A Hono WebSocket context as a `TabSocket` (the buffer size comes from the underlying `ws` socket); with the
 * TCP socket under it, writes of one tick are sent together.
 */
export function tabSocket(ws: WSContext, transport?: Transport): TabSocket {
  const raw = ws.raw instanceof WebSocket ? ws.raw : undefined;
  const hold = transport ? holdWritesForTick(transport) : undefined;
  return {
    isOpen: () => ws.readyState === 1,
    send: (text) => {
      hold?.();
      ws.send(text);
    },
    bufferedAmount: () => raw?.bufferedAmount ?? 0,
    close: (code, reason) => ws.close(code, reason),
  };
}

function isOutputUpdate(message: ServerMessage): message is OutputUpdate {
  return message.type === 'edit' && message.edit.type === 'set_outputs';
}

/**
 * The cells whose outputs a message changes or depends on ('all': any of them). A cell's runtime counts: a tab
 * shouldn't see a cell finished while its final outputs are still held back.
 */
function touchedOutputs(message: ServerMessage): CellId[] | 'all' {
  if (message.type === 'snapshot') return 'all';
  if (message.type === 'runtime') return [message.cell_id];
  if (message.type !== 'edit') return [];
  const { edit } = message;
  switch (edit.type) {
    case 'clear_outputs':
      return edit.ids;
    case 'delete_cell':
    case 'set_cell_type':
    case 'set_outputs':
      return [edit.id];
    case 'replace_document':
      return 'all';
    default:
      return [];
  }
}
