/**
 * Debounced saving for one document: a save runs `delayMs` after the last change (and at least every
 * `maxWaitMs` while changes keep coming), never two at once, and no error goes unreported.
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
  /** Failures of saves nobody awaits (timer-driven ones, and changes arriving after `dispose`). */
  onError: (error: unknown) => void;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

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
  readonly #onError: (error: unknown) => void;
  /** Changes not yet handed to a save. */
  #isDirty = false;
  #lastChangeAt = 0;
  /** First change since the last save started: bounds the wait under a stream of changes. */
  #firstChangeAt: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
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
    try {
      // Changes arriving during the final save are saved too, within reason.
      for (let round = 0; round < 10 && this.hasUnsavedChanges; round++) await this.flush();
    } finally {
      this.#state = 'closed';
    }
  }

  #arm(now: number): void {
    this.#clearTimer();
    const due = Math.min(this.#lastChangeAt + this.#delayMs, (this.#firstChangeAt ?? now) + this.#maxWaitMs);
    this.#timer = setTimeout(() => this.#onTimer(), Math.max(0, due - now));
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #onTimer(): void {
    this.#timer = undefined;
    if (this.#running) {
      this.#isDueAfterRun = true;
      return;
    }
    void this.#start().then((outcome) => {
      if (!outcome.ok) this.#onError(outcome.error);
    });
  }

  /** Starts a save synchronously (so no other can start in between) and resolves with its outcome. */
  #start(): Promise<Outcome> {
    this.#isDirty = false;
    this.#firstChangeAt = undefined;
    // A save that throws instead of rejecting is still an outcome, not an escape.
    const run = new Promise<void>((resolve) => resolve(this.#save())).then(
      (): Outcome => ({ ok: true }),
      (error: unknown): Outcome => {
        // Not on disk: still pending, and retried by the next change or flush.
        this.#isDirty = true;
        this.#firstChangeAt ??= Date.now();
        return { ok: false, error };
      },
    );
    this.#running = run.finally(() => {
      this.#running = undefined;
      if (this.#isDueAfterRun) {
        this.#isDueAfterRun = false;
        if (this.#isDirty && this.#state === 'open') this.#onTimer();
      }
    });
    return this.#running;
  }
}
