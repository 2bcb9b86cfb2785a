/**
 * The open tabs of one notebook. A subscriber is anything with `send` (a WebSocket wrapper in production, an
 * array in tests); a subscriber whose `send` throws is dropped, never allowed to break the session.
 */
import type { ClientId, ServerMessage } from '../protocol/index.ts';

export interface Subscriber {
  readonly clientId: ClientId;
  send(message: ServerMessage): void;
  /** Ends the tab's connection (its notebook was closed); optional for subscribers that are not sockets. */
  close?(code: number, reason: string): void;
}

export class Broadcaster {
  readonly #subscribers = new Set<Subscriber>();

  get size(): number {
    return this.#subscribers.size;
  }

  add(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  send(message: ServerMessage): void {
    for (const subscriber of this.#subscribers) {
      try {
        subscriber.send(message);
      } catch {
        this.#subscribers.delete(subscriber);
      }
    }
  }

  /** Closes every tab's connection, e.g. after telling them their notebook was moved or deleted. */
  closeAll(code: number, reason: string): void {
    for (const subscriber of this.#subscribers) {
      try {
        subscriber.close?.(code, reason);
      } catch {
        // Already gone: nothing to close.
      }
    }
  }

  clear(): void {
    this.#subscribers.clear();
  }
}
