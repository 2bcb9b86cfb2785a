/**
 * Work that can wait until the page is idle, done in order of arrival: as much of it per idle period as the
 * browser says there is time for, at least one task. Used to turn the static views of the cells on screen into
 * editors after the first screen is painted (static-code.ts). A task waits at most `MAX_WAIT_MS` on a page that is
 * never idle (output streaming in, a run of every cell).
 */

const MAX_WAIT_MS = 300;

const queue = new Set<() => void>();
let isScheduled = false;

const hasIdleCallback = typeof requestIdleCallback === 'function';

function schedule(): void {
  if (isScheduled || queue.size === 0) return;
  isScheduled = true;
  if (hasIdleCallback) requestIdleCallback(run, { timeout: MAX_WAIT_MS });
  else setTimeout(() => run(null), 50);
}

function run(deadline: IdleDeadline | null): void {
  isScheduled = false;
  for (const task of queue) {
    queue.delete(task);
    task();
    if (!deadline || deadline.timeRemaining() <= 0) break;
  }
  schedule();
}

/**
 * Runs `task` when the page is next idle, after the tasks queued before it. Returns a function that takes it off
 * the queue (a cell unmounted before its turn).
 */
export function whenIdle(task: () => void): () => void {
  queue.add(task);
  schedule();
  return () => queue.delete(task);
}
