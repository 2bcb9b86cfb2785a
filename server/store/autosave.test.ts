import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver, type RetryPolicy } from './autosave.ts';

/** A save the test finishes by hand, recording when each save started and how many ran at once. */
function controlledSaves() {
  const started: number[] = [];
  const pending: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  let running = 0;
  let maxConcurrent = 0;
  const save = () => {
    started.push(Date.now());
    running++;
    maxConcurrent = Math.max(maxConcurrent, running);
    return new Promise<void>((resolve, reject) => {
      pending.push({
        resolve: () => {
          running--;
          resolve();
        },
        reject: (error) => {
          running--;
          reject(error);
        },
      });
    });
  };
  const finish = async (error?: unknown) => {
    const next = pending.shift();
    if (!next) throw new Error('no save in flight');
    if (error === undefined) next.resolve();
    else next.reject(error);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { save, started, finish, maxConcurrent: () => maxConcurrent };
}

let errors: unknown[];
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  errors = [];
});
afterEach(() => {
  vi.useRealTimers();
});

let retries: (number | undefined)[];
beforeEach(() => {
  retries = [];
});

function saver(save: () => Promise<void>, options: { delayMs?: number; maxWaitMs?: number; retry?: RetryPolicy } = {}) {
  return new Autosaver({
    delayMs: options.delayMs ?? 100,
    ...(options.maxWaitMs ? { maxWaitMs: options.maxWaitMs } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    save,
    onError: (e, retryInMs) => {
      errors.push(e);
      retries.push(retryInMs);
    },
  });
}

describe('Autosaver', () => {
  it('saves once, delayMs after the last change', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save);
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(50);
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(90);
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(99);
    expect(saves.started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saves.started).toEqual([240]);
    await saves.finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves.started).toEqual([240]);
    expect(autosaver.hasUnsavedChanges).toBe(false);
  });

  it('saves at least every maxWaitMs while changes keep coming', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save, { delayMs: 100, maxWaitMs: 300 });
    for (let t = 0; t < 350; t += 50) {
      autosaver.schedule();
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(saves.started).toEqual([300]);
  });

  it('never runs two saves at once: a change during a save is saved right after it', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save);
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(100);
    expect(saves.started).toEqual([100]);
    autosaver.schedule(); // during the save
    await vi.advanceTimersByTimeAsync(500); // the second save is due, but the first is still running
    expect(saves.started).toEqual([100]);
    expect(autosaver.hasUnsavedChanges).toBe(true);
    await saves.finish();
    expect(saves.started).toEqual([100, 600]);
    await saves.finish();
    expect(saves.maxConcurrent()).toBe(1);
    expect(autosaver.hasUnsavedChanges).toBe(false);
  });

  it('keeps the debounce for a change made during a save that ends early', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save);
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(100);
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(10);
    await saves.finish();
    await vi.advanceTimersByTimeAsync(80);
    expect(saves.started).toEqual([100]);
    await vi.advanceTimersByTimeAsync(10);
    expect(saves.started).toEqual([100, 200]);
  });

  it('flush saves at once, waits for the save in flight first, and cancels the timer', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save);
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(100);
    autosaver.schedule();
    let flushed = false;
    const flushing = autosaver.flush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(saves.started).toEqual([100]);
    await saves.finish();
    expect(saves.started).toEqual([100, 100]);
    expect(flushed).toBe(false);
    await saves.finish();
    await flushing;
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves.started).toEqual([100, 100]);
    expect(saves.maxConcurrent()).toBe(1);
  });

  it('flush with nothing pending saves nothing; two flushes share one save', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save);
    await autosaver.flush();
    autosaver.schedule();
    const both = Promise.all([autosaver.flush(), autosaver.flush()]);
    await saves.finish();
    await both;
    expect(saves.started).toEqual([0]);
  });

  it('reports a failed background save to onError, keeps the change pending, and retries on the next change', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save);
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(100);
    await saves.finish(new Error('disk full'));
    expect(errors).toEqual([new Error('disk full')]);
    expect(autosaver.hasUnsavedChanges).toBe(true);
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(100);
    await saves.finish();
    expect(saves.started).toHaveLength(2);
    expect(autosaver.hasUnsavedChanges).toBe(false);
  });

  it('rejects a flush whose save fails, and reports a save that throws instead of rejecting', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save);
    autosaver.schedule();
    const flushing = expect(autosaver.flush()).rejects.toThrow('EACCES');
    await saves.finish(new Error('EACCES'));
    await flushing;
    expect(errors).toEqual([]);

    const throwing = saver(() => {
      throw new Error('sync');
    });
    throwing.schedule();
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toEqual([new Error('sync')]);
  });

  it('dispose saves what is pending, then reports later changes instead of dropping them silently', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save);
    autosaver.schedule();
    const disposing = autosaver.dispose();
    await vi.advanceTimersByTimeAsync(0);
    autosaver.schedule(); // arrives during the final save: saved too
    await saves.finish();
    await saves.finish();
    await disposing;
    expect(saves.started).toEqual([0, 0]);
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves.started).toHaveLength(2);
    expect(errors).toEqual([new Error('A change came after the autosaver was disposed: it will not be saved')]);
  });
});

describe('Autosaver retrying failed saves', () => {
  const retry = { firstMs: 1000, maxMs: 4000 };

  it('tries again by itself at growing intervals, new changes not hurrying it, until a save works', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save, { retry });
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(100);
    await saves.finish(new Error('ENOSPC'));
    // Typing goes on against the full disk: the next attempt still waits its second.
    for (let i = 0; i < 5; i++) {
      autosaver.schedule();
      await vi.advanceTimersByTimeAsync(150);
    }
    expect(saves.started).toEqual([100]);
    await vi.advanceTimersByTimeAsync(250);
    expect(saves.started).toEqual([100, 1100]);
    await saves.finish(new Error('ENOSPC'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(saves.started).toEqual([100, 1100, 3100]);
    await saves.finish(new Error('ENOSPC'));
    await vi.advanceTimersByTimeAsync(4000);
    await saves.finish(new Error('ENOSPC'));
    // Capped at maxMs.
    await vi.advanceTimersByTimeAsync(4000);
    expect(saves.started).toEqual([100, 1100, 3100, 7100, 11100]);
    expect(retries).toEqual([1000, 2000, 4000, 4000]);
    await saves.finish();
    expect(autosaver.hasUnsavedChanges).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(saves.started).toHaveLength(5);

    // Working again: the next change is saved after the usual delay, and a new failure starts from firstMs.
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(100);
    expect(saves.started.at(-1)).toBe(21200);
    await saves.finish(new Error('EROFS'));
    expect(retries.at(-1)).toBe(1000);
  });

  it('keeps to the policy: a failure it does not retry waits for the next change', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save, { retry: { ...retry, shouldRetry: (error) => !(error instanceof TypeError) } });
    autosaver.schedule();
    await vi.advanceTimersByTimeAsync(100);
    await saves.finish(new TypeError('conflict'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(saves.started).toEqual([100]);
    expect(retries).toEqual([undefined]);
    expect(autosaver.hasUnsavedChanges).toBe(true);
  });

  it('retries after a failed flush too, and stops retrying once disposed', async () => {
    const saves = controlledSaves();
    const autosaver = saver(saves.save, { retry });
    autosaver.schedule();
    const flushing = expect(autosaver.flush()).rejects.toThrow('EACCES');
    await saves.finish(new Error('EACCES'));
    await flushing;
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves.started).toEqual([0, 1000]);
    await saves.finish(new Error('EACCES'));

    const disposing = autosaver.dispose().catch((error: unknown) => error);
    await saves.finish(new Error('EACCES'));
    expect(await disposing).toEqual(new Error('EACCES'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(saves.started).toEqual([0, 1000, 1000]);
  });
});
