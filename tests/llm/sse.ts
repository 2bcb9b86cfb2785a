/**
 * Reads a `text/event-stream` response as it arrives, for tests of the assistant's SSE route: each message's
 * `event` name and its `data` parsed as an `AgentEvent`.
 */
import type { AgentEvent } from '../../server/protocol/index.ts';

export interface SseMessage {
  event: string;
  data: AgentEvent;
}

function parseBlock(block: string): SseMessage | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length === 0) return null;
  // The route writes each event as JSON; a test that gets something else fails on the assertion after.
  return { event, data: JSON.parse(data.join('\n')) as AgentEvent };
}

export class SseReader {
  readonly messages: SseMessage[] = [];
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #ended = false;

  constructor(body: ReadableStream<Uint8Array> | null) {
    if (!body) throw new Error('the response has no body');
    this.#reader = body.getReader();
  }

  get events(): AgentEvent[] {
    return this.messages.map((m) => m.data);
  }

  /** Reads until a message matches (resolves with it), or the stream ends (rejects). */
  async until(test: (message: SseMessage) => boolean): Promise<SseMessage> {
    for (let seen = 0; ; ) {
      for (; seen < this.messages.length; seen++) if (test(this.messages[seen]!)) return this.messages[seen]!;
      if (this.#ended) throw new Error(`the stream ended first; got ${this.messages.map((m) => m.event).join(', ')}`);
      await this.#read();
    }
  }

  /** Reads to the end of the stream; resolves with every message. */
  async all(): Promise<SseMessage[]> {
    while (!this.#ended) await this.#read();
    return this.messages;
  }

  /** Goes away, as a closed browser tab would. */
  cancel(): Promise<void> {
    this.#ended = true;
    return this.#reader.cancel();
  }

  async #read(): Promise<void> {
    const { done, value } = await this.#reader.read();
    if (done) {
      this.#ended = true;
      return;
    }
    this.#buffer += this.#decoder.decode(value, { stream: true });
    let end: number;
    while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
      const message = parseBlock(this.#buffer.slice(0, end));
      this.#buffer = this.#buffer.slice(end + 2);
      if (message) this.messages.push(message);
    }
  }
}
