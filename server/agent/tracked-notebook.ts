/**
 * The notebook as one turn sees it: the same `AgentNotebook`, closed once the turn is stopped. A tool abandoned
 * by Stop may still finish in the background; from then on no edit and no run of it gets through, so the
 * notebook never changes after the turn ended.
 *
 * Interrupting a running cell on Stop is the notebook's part of the contract (`RunCellOptions.signal`): one
 * owner, so a second interrupt can't hit the person's next queued cell.
 */
import type { AgentNotebook } from './types.ts';

export function trackNotebook(notebook: AgentNotebook, signal: AbortSignal): AgentNotebook {
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
    runCell(id, options) {
      refuseAfterStop('the run');
      return notebook.runCell(id, options);
    },
    interrupt: () => notebook.interrupt(),
    evaluateSilently: (code, options) => notebook.evaluateSilently(code, options),
    listFiles: () => notebook.listFiles(),
  };
}
