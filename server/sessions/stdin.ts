/**
 * `input()` in a notebook: the kernel's request is shown in the cell (its runtime carries `input`), any open tab
 * may answer, and nothing waits forever: with no tab open (or when the last one closes) the code gets EOF, which
 * `input()` raises as EOFError. Runs that can't be answered at all (REST, agent) don't ask: they run without
 * stdin, so `input()` fails at once (see `ExecutionListener.onInput`).
 */
import type { CellId } from '../protocol/index.ts';
import type { InputRequest } from '../kernels/types.ts';

export interface PendingInputsHost {
  hasTabs(): boolean;
  /** Shows the request in the cell, or clears it (`undefined`) once answered or abandoned. */
  show(id: CellId, request: InputRequest | undefined): void;
}

export class PendingInputs {
  readonly #host: PendingInputsHost;
  readonly #pending = new Map<CellId, (value: string | null) => void>();

  constructor(host: PendingInputsHost) {
    this.#host = host;
  }

  /** The line typed, or null (EOF) when nobody is there to type it. */
  ask(id: CellId, request: InputRequest): Promise<string | null> {
    if (!this.#host.hasTabs()) return Promise.resolve(null);
    this.#pending.get(id)?.(null);
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#host.show(id, request);
    });
  }

  /** A tab's answer; false when the cell isn't waiting (answered by another tab, or done). */
  answer(id: CellId, value: string): boolean {
    return this.#settle(id, value);
  }

  /** The cell ended (interrupted while waiting, say): its request is void. */
  cancel(id: CellId): void {
    this.#settle(id, null);
  }

  /** No tab is left to answer: every waiting `input()` gets EOF. */
  cancelAll(): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, null);
  }

  #settle(id: CellId, value: string | null): boolean {
    const resolve = this.#pending.get(id);
    if (!resolve) return false;
    this.#pending.delete(id);
    this.#host.show(id, undefined);
    resolve(value);
    return true;
  }
}
