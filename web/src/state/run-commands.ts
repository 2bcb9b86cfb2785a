/**
 * The Run menu's commands (run all / above / below, restart and run all) and the kernel's (interrupt, restart),
 * one function each whether a key, the toolbar or the menu asks. Restarts lose every variable, so the UI asks
 * first (`setConfirm`) and calls `confirmed…` once the person agreed.
 */
import type { NotebookStore } from './notebook-store.ts';
import { selectRun, type RunScope } from './run-selection.ts';

/** Renders the markdown cells and runs the code cells of `scope` (see `selectRun`), in one queued request. */
export function runScope(store: NotebookStore, scope: RunScope): void {
  const cells = store.state.doc?.cells ?? [];
  const { run, render } = selectRun(cells, scope, store.state.ui.selected);
  for (const id of render) store.setMarkdownEditing(id, false);
  if (run.length > 0) store.command({ type: 'execute', cell_ids: run });
  if (store.state.ui.mode === 'edit') store.setMode('command');
}

export function interruptKernel(store: NotebookStore): void {
  store.command({ type: 'interrupt' });
}

/** Restarts once confirmed; the server aborts whatever was queued ("Kernel restarted"). */
export function confirmedRestart(store: NotebookStore): void {
  store.command({ type: 'restart' });
}

/**
 * Restart and run all as ONE server operation: the server restarts the kernel, then queues every code cell, so
 * no cell can slip in between against the old kernel.
 */
export function confirmedRestartAndRunAll(store: NotebookStore): void {
  for (const cell of store.state.doc?.cells ?? []) if (cell.cell_type === 'markdown') store.setMarkdownEditing(cell.id, false);
  store.command({ type: 'restart_run_all' });
  if (store.state.ui.mode === 'edit') store.setMode('command');
}
