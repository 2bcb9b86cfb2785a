/**
 * The folder a kernel was moved into after it started (a warm pool's kernel, or any kernel of a gateway, which
 * has no sessions to start it there), kept across restarts.
 *
 * A restarted kernel is a new process launched as the first one was, so it starts in the first folder again.
 * From the moment a restart shows (`restarting`/`autorestarting`) until the new process is idle and has been
 * moved, requests wait (`whenPlaced`): the library sends what was queued during the reconnect as soon as the
 * WebSocket is back, which would run before the move.
 */
import { after } from './kernel-requests.ts';
import type { KernelMessage } from '@jupyterlab/services';

/** How long requests wait for a restarted kernel to be moved before they go anyway. */
const PLACE_WAIT_MS = 60_000;

export class KernelLocation {
  readonly #move: (notebookPath: string) => Promise<void>;
  readonly #onFailure: (message: string) => void;
  #notebookPath: string | undefined;
  #pending: { done: Promise<void>; resolve: () => void; isMoving: boolean } | undefined;

  /** `move` runs the move in the kernel (bypassing `whenPlaced`); `onFailure` hears when a restarted one can't be moved. */
  constructor(move: (notebookPath: string) => Promise<void>, onFailure: (message: string) => void) {
    this.#move = move;
    this.#onFailure = onFailure;
  }

  /** Moves the kernel to `notebookPath`'s folder now, and again after every restart. */
  async moveTo(notebookPath: string): Promise<void> {
    this.#notebookPath = notebookPath;
    await this.#move(notebookPath);
  }

  /** Feed every status change of the kernel. */
  onStatus(status: KernelMessage.Status): void {
    const notebookPath = this.#notebookPath;
    if (notebookPath === undefined) return;
    if (status === 'restarting' || status === 'autorestarting') {
      if (!this.#pending) {
        let resolve = () => {};
        const done = new Promise<void>((r) => (resolve = r));
        this.#pending = { done, resolve, isMoving: false };
      }
    } else if (status === 'idle' && this.#pending && !this.#pending.isMoving) {
      const pending = this.#pending;
      pending.isMoving = true;
      void this.#move(notebookPath)
        .catch((error: unknown) => this.#onFailure(`The restarted kernel could not be moved to ${notebookPath}'s folder: ${String(error)}`))
        .finally(() => this.#release(pending));
    } else if (status === 'dead') {
      if (this.#pending) this.#release(this.#pending);
    }
  }

  /** Resolves once no restarted kernel is waiting to be moved (at once, mostly). */
  async whenPlaced(): Promise<void> {
    const pending = this.#pending;
    if (!pending) return;
    const timeout = after(PLACE_WAIT_MS, undefined);
    await Promise.race([pending.done, timeout.promise]).finally(() => timeout.cancel());
  }

  /** Lets anything waiting go (the kernel is gone). */
  dispose(): void {
    if (this.#pending) this.#release(this.#pending);
  }

  #release(pending: { resolve: () => void }): void {
    if (this.#pending === pending) this.#pending = undefined;
    pending.resolve();
  }
}
