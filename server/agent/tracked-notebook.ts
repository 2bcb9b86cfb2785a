/**
 * The notebook as one turn sees it: the same `AgentNotebook`, plus what Stop needs. When the turn's signal
 * aborts while a cell runs, the kernel is interrupted at once; after the abort, no edit and no run gets through
 * (a tool still finishing in the background can't change the notebook after the turn ended).
 */
import type { AgentNotebook } from './types.ts';

export interface TrackedNotebook extends AgentNotebook {
  /** Waits (briefly) for an interrupt sent on abort, and stops listening to the signal. */
  settle(): Promise<void>;
}

/** How long `settle` waits for the kernel to acknowledge an interrupt before the turn ends anyway. */
const INTERRUPT_WAIT_MS = 2_000;

export function trackNotebook(notebook: AgentNotebook, signal: AbortSignal): TrackedNotebook {
  let running = 0;
  let interrupting: Promise<void> | null = null;
  const onAbort = () => {
    if (running > 0) interrupting = notebook.interrupt().catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const refuseAfterStop = (what: string) => {
    if (signal.aborted) throw new Error(`The turn was stopped; ${what} was not done.`);
  };

  return {
    path: notebook.path,
    doc: () => notebook.doc(),
    applyEdits(edits) {
      refuseAfterStop('the edit');
      notebook.applyEdits(edits);
    },
    async runCell(id, options) {
      refuseAfterStop('the run');
      running += 1;
      try {
        return await notebook.runCell(id, options);
      } finally {
        running -= 1;
      }
    },
    interrupt: () => notebook.interrupt(),
    evaluateSilently: (code, options) => notebook.evaluateSilently(code, options),
    listFiles: () => notebook.listFiles(),
    async settle() {
      signal.removeEventListener('abort', onAbort);
      if (!interrupting) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([interrupting, new Promise<void>((resolve) => (timer = setTimeout(resolve, INTERRUPT_WAIT_MS)))]);
      clearTimeout(timer);
    },
  };
}
