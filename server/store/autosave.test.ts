import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver } from './autosave.ts';

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

function saver(save: () => Promise<void>, options: { delayMs?: number; maxWaitMs?: number } = {}) {
  return new Autosaver({ delayMs: options.delayMs ?? 100, ...(options.maxWaitMs ? { maxWaitMs: options.maxWaitMs } : {}), save, onError: (e) => errors.push(e) });
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
