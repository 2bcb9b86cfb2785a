/**
 * What a notebook session promises about saving, with its default timings: a change reaches a save within a
 * second, whether the person pauses or keeps typing. Fake timers make it exact; the saves are instant here, so
 * what is measured is when a save starts with the change in it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CellId, createCell, createNotebook, type NotebookDoc } from '../protocol/index.ts';
import type { KernelProvider } from '../kernels/types.ts';
import { NotebookSession } from './notebook-session.ts';

const noKernels: KernelProvider = {
  startKernel: () => Promise.reject(new Error('no kernels in this test')),
  listKernelSpecs: () => Promise.resolve({ default: 'python3', specs: [] }),
  dispose: () => Promise.resolve(),
};

const typed = CellId.from('typed');

/** A session whose saves are recorded: when each started, and which keystroke it held. */
function typingSession() {
  const saves: { at: number; keystroke: number }[] = [];
  const doc: NotebookDoc = { ...createNotebook(), cells: [createCell('code', '0', typed)] };
  const session = new NotebookSession({
    path: 'typing.ipynb',
    doc,
    kernels: noKernels,
    store: {
      save: async (_path, saved) => {
        saves.push({ at: Date.now(), keystroke: Number(saved.cells[0]!.source) });
        return new Date().toISOString();
      },
      listFiles: async () => [],
    },
  });
  const type = (keystroke: number) => session.applyEdits([{ type: 'set_source', id: typed, source: String(keystroke) }], 'ui');
  /** When the first save holding `keystroke` (or a later one) started. */
  const savedAt = (keystroke: number) => saves.find((save) => save.keystroke >= keystroke)?.at;
  return { session, saves, type, savedAt };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('autosave of a notebook session', () => {
  it('saves a change within a second when the typing stops', async () => {
    const { session, type, savedAt } = typingSession();
    type(1);
    await vi.advanceTimersByTimeAsync(1000);
    // Fake time (vi.useFakeTimers): the one-second promise itself, not a wall-clock bound.
    expect(savedAt(1)).toBeLessThanOrEqual(1000);
    await session.dispose({ save: false });
  });

  it('saves every keystroke within a second while the typing never stops', async () => {
    const { session, saves, type, savedAt } = typingSession();
    const typedAt: number[] = [];
    // A keystroke every 80 ms for 12 s: never a pause as long as the debounce.
    for (let keystroke = 1; keystroke <= 150; keystroke++) {
      typedAt[keystroke] = Date.now();
      type(keystroke);
      await vi.advanceTimersByTimeAsync(80);
    }
    await vi.advanceTimersByTimeAsync(1000);
    const late = typedAt.flatMap((at, keystroke) => {
      const saved = savedAt(keystroke);
      return saved === undefined || saved - at > 1000 ? [{ keystroke, at, saved }] : [];
    });
    expect(late).toEqual([]);
    // Not a save per keystroke either: about one a second.
    // A count of saves in fake time: not one per keystroke.
    expect(saves.length).toBeLessThan(30);
    await session.dispose({ save: false });
  });
});
