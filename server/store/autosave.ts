/**
 * Debounced saving for one document: a save runs `delayMs` after the last change (and at least every
 * `maxWaitMs` while changes keep coming), never two at once, and no error goes unreported. With `retry`, a
 * save that failed (a full or read-only disk) is tried again by itself, at growing intervals, until it works:
 * the changes stay pending meanwhile, and new ones don't hurry the next attempt.
 */

export interface AutosaverOptions {
  /** Quiet time after the last change before saving. */
  delayMs: number;
  /**
   * Longest time a change waits while changes keep coming (a cell printing every 100 ms would otherwise put the
   * save off forever). Default: 10 × `delayMs`.
   */
  maxWaitMs?: number;
  /** Writes the current document; the saver never runs two at once. */
  save: () => Promise<void>;
  /**
   * Failures of saves nobody awaits (timer-driven ones, and changes arriving after `dispose`); `retryInMs` when
   * the save will be tried again by itself.
   */
  onError: (error: unknown, retryInMs?: number) => void;
  /** Try failed saves again: after `firstMs`, then twice as long each time, at most `maxMs` apart. */
  retry?: RetryPolicy;
}

export interface RetryPolicy {
  firstMs: number;
  maxMs: number;
  /** Whether a failure is worth retrying (default: all). */
  shouldRetry?: (error: unknown) => boolean;
}

type Outcome = { ok: true } | { ok: false; error: unknown; retryInMs?: number };

/**
 * @example
 *   const saver = new Autosaver({ delayMs: 500, save: () => store.writeNotebook(path, doc()), onError: report });
 *   onEveryEdit(() => saver.schedule());
 *   await saver.flush();   // before a kernel restart, an export…
 *   await saver.dispose(); // when the notebook closes: saves what is pending
 */
export class Autosaver {
  readonly #delayMs: number;
  readonly #maxWaitMs: number;
  readonly #save: () => Promise<void>;
  readonly #onError: (error: unknown, retryInMs?: number) => void;
  readonly #retry: RetryPolicy | undefined;
  /** Saves that failed in a row, and when the next attempt is due. */
  #failures = 0;
  #retryAt: number | undefined;
  /** Changes not yet handed to a save. */
  #isDirty = false;
  #lastChangeAt = 0;
  /** First change since the last save started: bounds the wait under a stream of changes. */
  #firstChangeAt: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the armed timer fires. */
  #timerDue = 0;
  /** The save in flight; it never rejects (its outcome is reported elsewhere). */
  #running: Promise<Outcome> | undefined;
  /** The timer fired while a save was running: save again as soon as it ends. */
  #isDueAfterRun = false;
  #state: 'open' | 'closing' | 'closed' = 'open';

  constructor(options: AutosaverOptions) {
    this.#delayMs = options.delayMs;
    this.#maxWaitMs = options.maxWaitMs ?? 10 * options.delayMs;
    this.#save = options.save;
    this.#onError = options.onError;
    this.#retry = options.retry;
  }

  /** Changes not yet on disk (pending, or being written). */
  get hasUnsavedChanges(): boolean {
    return this.#isDirty || this.#running !== undefined;
  }

  /** Records a change: the document will be saved `delayMs` from now unless another change comes first. */
  schedule(): void {
    if (this.#state === 'closed') {
      this.#onError(new Error('A change came after the autosaver was disposed: it will not be saved'));
      return;
    }
    const now = Date.now();
    this.#isDirty = true;
    this.#lastChangeAt = now;
    this.#firstChangeAt ??= now;
    if (this.#state === 'open') this.#arm(now);
  }

  /**
   * Saves now what is pending (after the save in flight, if any) and resolves once it is on disk; rejects with
   * the error of the save it ran. Resolves at once when nothing is pending.
   */
  async flush(): Promise<void> {
    this.#clearTimer();
    while (this.#running) await this.#running;
    if (!this.#isDirty) return;
    const outcome = await this.#start();
    if (!outcome.ok) throw outcome.error;
  }

  /**
   * Forgets the pending changes without saving them: the document was replaced by what is on disk, so there is
   * nothing left to write. A save already running is not stopped.
   */
  discard(): void {
    this.#clearTimer();
    this.#isDirty = false;
    this.#firstChangeAt = undefined;
    this.#isDueAfterRun = false;
  }

  /** Saves what is pending, then stops; a change scheduled afterwards is reported to `onError`, not saved. */
  async dispose(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#clearTimer();
    this.#retryAt = undefined;
    try {
      // Changes arriving during the final save are saved too, within reason.
      for (let round = 0; round < 10 && this.hasUnsavedChanges; round++) await this.flush();
    } finally {
      this.#state = 'closed';
    }
  }

  /** When the pending changes are due to be saved. */
  #due(now: number): number {
    const due = Math.min(this.#lastChangeAt + this.#delayMs, (this.#firstChangeAt ?? now) + this.#maxWaitMs);
    // While saves fail, the next attempt waits its turn whatever changes come.
    return Math.max(due, this.#retryAt ?? 0);
  }

  /**
   * Makes sure a timer fires by the time the changes are due. A change only ever puts the due time off, so an armed
   * timer is kept (it looks again when it fires): a running cell makes several changes a run, and re-arming a
   * timer for each costs more than the rest of recording them.
   */
  #arm(now: number): void {
    const due = this.#due(now);
    if (this.#timer !== undefined && this.#timerDue <= due) return;
    this.#clearTimer();
    this.#timerDue = due;
    this.#timer = setTimeout(() => this.#onTimer(), Math.max(0, due - now));
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #onTimer(): void {
    this.#timer = undefined;
    const now = Date.now();
    if (this.#isDirty && this.#due(now) > now) {
      this.#arm(now);
      return;
    }
    this.#fire();
  }

  #fire(): void {
    if (this.#running) {
      this.#isDueAfterRun = true;
      return;
    }
    void this.#start().then((outcome) => {
      if (!outcome.ok) this.#onError(outcome.error, outcome.retryInMs);
    });
  }

  /** After a failed save: when the policy says so, the next attempt is armed; its delay, or undefined. */
  #retryAfter(error: unknown): number | undefined {
    const retry = this.#retry;
    if (!retry || this.#state !== 'open' || !(retry.shouldRetry?.(error) ?? true)) return undefined;
    this.#failures += 1;
    const delay = Math.min(retry.maxMs, retry.firstMs * 2 ** (this.#failures - 1));
    this.#retryAt = Date.now() + delay;
    return delay;
  }

  /** Starts a save synchronously (so no other can start in between) and resolves with its outcome. */
  #start(): Promise<Outcome> {
    this.#isDirty = false;
    this.#firstChangeAt = undefined;
    // A save that throws instead of rejecting is still an outcome, not an escape.
    const run = new Promise<void>((resolve) => resolve(this.#save())).then(
      (): Outcome => {
        this.#failures = 0;
        this.#retryAt = undefined;
        return { ok: true };
      },
      (error: unknown): Outcome => {
        // Not on disk: still pending, for the next attempt (by policy), change or flush.
        this.#isDirty = true;
        this.#firstChangeAt ??= Date.now();
        const retryInMs = this.#retryAfter(error);
        return retryInMs === undefined ? { ok: false, error } : { ok: false, error, retryInMs };
      },
    );
    this.#running = run.finally(() => {
      this.#running = undefined;
      const isDue = this.#isDueAfterRun;
      this.#isDueAfterRun = false;
      if (this.#state !== 'open' || !this.#isDirty) return;
      // A retry waits its turn; a save that fell due while this one ran goes at once.
      if (this.#retryAt !== undefined) this.#arm(Date.now());
      else if (isDue) this.#fire();
    });
    return this.#running;
  }
}
