/**
 * A queue between a producer that must never wait (the agent's events) and a consumer that may (an HTTP stream
 * with backpressure): `push` never blocks, the async iterator hands items out in order and ends after `last`
 * matched an item, or when the queue is closed (the client went away).
 */
export class EventQueue<T extends object> {
  readonly #items: T[] = [];
  readonly #isLast: (item: T) => boolean;
  #closed = false;
  #wake: (() => void) | null = null;

  constructor(isLast: (item: T) => boolean = () => false) {
    this.#isLast = isLast;
  }

  push(item: T): void {
    if (this.#closed) return;
    this.#items.push(item);
    this.#wake?.();
  }

  /** Ends the iteration now; later pushes are dropped. */
  close(): void {
    this.#closed = true;
    this.#items.length = 0;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        if (this.#isLast(item)) return;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = null;
    }
  }
}
