/**
 * Interrupts and output floods through a whole Cellmate (sandboxed kernels where bwrap works): interrupts stop
 * busy loops and sleeps without a restart, code that ignores them gets its kernel restarted, floods are capped as
 * configured while the server keeps answering, and a slow tab doesn't make the server buffer every update.
 * Behaviour and order only: how fast interrupts and health answers are is measured by `npm run bench:kernels`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellId } from '../../server/protocol/index.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { settlesWithin } from '../helpers/hang-guard.ts';
import { executeCells, notebookWithCells, openNotebookSocket, type TestSocket } from '../helpers/notebook-socket.ts';

let cm: TestCellmate;

beforeAll(async () => {
  cm = await startTestCellmate({
    kernels: { poolSize: 0, interruptGraceMs: 1_500, maxOutputBytes: 200_000, maxCellOutputBytes: 400_000 },
  });
});

afterAll(async () => {
  await cm?.cleanup();
});

/** Runs `cell` from the tab and waits until it prints `marker` (so the interrupt hits user code, not startup). */
async function runUntilPrinted(tab: TestSocket, cell: CellId, marker: string): Promise<void> {
  tab.send({ type: 'execute', cell_ids: [cell] });
  await tab.waitFor(`cell output ${marker}`, (m) => m.type === 'edit' && m.edit.type === 'set_outputs' && m.edit.id === cell && JSON.stringify(m.edit.outputs).includes(marker));
}

/**
 * Asks `/api/health` one request after another while `isBusy()` holds, up to `atMost` answers, each within the hang
 * guard; returns how many were answered while it still held (checked after each answer).
 */
async function healthAnswersWhile(isBusy: () => boolean, atMost = Infinity): Promise<number> {
  let answered = 0;
  while (answered < atMost && isBusy()) {
    const response = await settlesWithin('/api/health to answer', fetch(`${cm.url}/api/health`));
    expect(response.status).toBe(200);
    await response.body?.cancel();
    if (isBusy()) answered++;
    else break;
  }
  return answered;
}

describe('interrupts', () => {
  it('stop a busy loop and a long sleep, before the grace period would restart the kernel', async () => {
    // The loop never ends and the sleep lasts 1000 s: each ending is the interrupt's doing. Had the interrupt not
    // reached the code, the kernel would be restarted after the grace period: its variables gone, a restart said.
    const [keep, loop, sleep, after] = await notebookWithCells(cm, 'interrupt.ipynb', [
      'kept = 1',
      'print("looping", flush=True)\nwhile True: pass',
      'import time\nprint("sleeping", flush=True)\ntime.sleep(1000)',
      'print("kept" in globals())',
    ]);
    if (!keep || !loop || !sleep || !after) throw new Error('cells');
    await executeCells(cm, 'interrupt.ipynb', [keep]);
    const tab = await openNotebookSocket(cm, 'interrupt.ipynb');
    try {
      for (const [cell, marker] of [[loop, 'looping'], [sleep, 'sleeping']] as const) {
        await runUntilPrinted(tab, cell, marker);
        tab.send({ type: 'interrupt' });
        const ended = await tab.waitForRuntime(cell, 'the cell to stop', (r) => r.status !== 'running' && r.status !== 'queued');
        expect(ended.status).toBe('error');
        const doc = (await cm.sessions.open('interrupt.ipynb')).doc().cells.find((c) => c.id === cell);
        expect(doc?.cell_type === 'code' && doc.outputs.at(-1)).toMatchObject({ output_type: 'error', ename: 'KeyboardInterrupt' });
      }
      expect(tab.messages.filter((m) => m.type === 'kernel' && m.kernel.state === 'restarting')).toEqual([]);
      const [result] = await executeCells(cm, 'interrupt.ipynb', [after]);
      expect(result).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: 'True\n' })] });
    } finally {
      await tab.close();
    }
  });

  it('restart the kernel when the code ignores them, and say so', async () => {
    const [keep, stubborn, after] = await notebookWithCells(cm, 'stubborn.ipynb', [
      'kept = 1',
      'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint("ignoring", flush=True)\nwhile True: pass',
      'print("kept" in globals())',
    ]);
    if (!keep || !stubborn || !after) throw new Error('cells');
    await executeCells(cm, 'stubborn.ipynb', [keep]);
    const tab = await openNotebookSocket(cm, 'stubborn.ipynb');
    try {
      await runUntilPrinted(tab, stubborn, 'ignoring');
      const before = tab.messages.length;
      tab.send({ type: 'interrupt' });
      const told = await tab.waitForKernel('the kernel to say it restarts', (k) => k.state === 'restarting' && (k.message ?? '').includes('ignored the interrupt'), before);
      expect(told.message).toBe('The running code ignored the interrupt for 1.5 s; restarting the kernel');
      const ended = await tab.waitForRuntime(stubborn, 'the cell to end', (r) => r.status !== 'running');
      expect(ended).toEqual(
        expect.objectContaining({ status: 'error', message: 'Still running 1.5 s after the interrupt, so the kernel was restarted (its variables are gone)' }),
      );
      const [result] = await executeCells(cm, 'stubborn.ipynb', [after]);
      expect(result).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: 'False\n' })] });
    } finally {
      await tab.close();
    }
  });
});

describe('output floods', () => {
  it('keep the server answering and the interrupt working, capped as configured', async () => {
    const [flood] = await notebookWithCells(cm, 'flood.ipynb', ['while True: print(1)']);
    if (!flood) throw new Error('cells');
    const tab = await openNotebookSocket(cm, 'flood.ipynb');
    try {
      await runUntilPrinted(tab, flood, '1\\n1\\n');
      // The flood never ends by itself: twenty answers, each checked while the cell still ran, came during it.
      const session = await cm.sessions.open('flood.ipynb');
      expect(await healthAnswersWhile(() => session.runtimeOf(flood).status === 'running', 20)).toBe(20);
      await tab.waitFor('the cap to cut the stream', (m) => m.type === 'edit' && m.edit.type === 'set_outputs' && m.edit.id === flood && JSON.stringify(m.edit.outputs).includes('[Output truncated'));
      // Still flooding after the cap (the kernel prints, the server drops it): health answers on.
      expect(await healthAnswersWhile(() => session.runtimeOf(flood).status === 'running', 5)).toBe(5);
      tab.send({ type: 'interrupt' });
      const ended = await tab.waitForRuntime(flood, 'the flood to stop', (r) => r.status !== 'running');
      expect(ended.status).toBe('error');
      const cell = (await cm.sessions.open('flood.ipynb')).doc().cells.find((c) => c.id === flood);
      if (cell?.cell_type !== 'code') throw new Error('no cell');
      const [stream] = cell.outputs;
      expect(stream?.output_type === 'stream' && stream.text.length).toBeLessThan(200_200);
      expect(stream?.output_type === 'stream' && stream.text).toMatch(/\[Output truncated: limits: 200 kB per stream, 400 kB and 1000 outputs per cell\]\n$/);
      expect(cell.outputs.at(-1)).toMatchObject({ output_type: 'error', ename: 'KeyboardInterrupt' });
    } finally {
      await tab.close();
    }
  });

  it('survive one 50 MB print', async () => {
    const [big, after] = await notebookWithCells(cm, 'big.ipynb', ['print("x" * 50_000_000)', 'print("ok")']);
    if (!big || !after) throw new Error('cells');
    let ran = false;
    const running = executeCells(cm, 'big.ipynb', [big, after]).finally(() => (ran = true));
    // Health is asked, one request after another, for as long as the run goes on: each answered (hang guard).
    expect(await healthAnswersWhile(() => !ran)).toBeGreaterThan(0);
    const [bigResult, afterResult] = await running;
    expect(bigResult?.status).toBe('ok');
    const text = bigResult?.outputs[0]?.text ?? '';
    expect(text.length).toBeLessThan(200_200);
    expect(text).toContain('[Output truncated');
    expect(afterResult).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: 'ok\n' })] });
  });
});

describe('a slow tab', () => {
  it('gets the latest outputs instead of every update, and the final state, without unbounded buffering', async () => {
    // A 300 kB display replaced 300 times over a few seconds: every update the fast tab gets carries all of it.
    const [flood] = await notebookWithCells(cm, 'slow.ipynb', [
      'import time\nh = display("start", display_id=True)\nfor i in range(300):\n    h.update(f"{i} " + "z" * 300_000)\n    time.sleep(0.01)',
    ]);
    if (!flood) throw new Error('cells');
    const fast = await openNotebookSocket(cm, 'slow.ipynb');
    const slow = await openNotebookSocket(cm, 'slow.ipynb');
    let slowBytes = 0;
    slow.ws.on('message', (data) => (slowBytes += String(data).length));
    try {
      slow.ws.pause();
      fast.send({ type: 'execute', cell_ids: [flood] });
      await fast.waitForRuntime(flood, 'the flood to end', (r) => r.status === 'ok', 60_000);
      const fastUpdates = fast.messages.filter((m) => m.type === 'edit' && m.edit.type === 'set_outputs' && m.edit.id === flood);
      slow.ws.resume();
      await slow.waitForRuntime(flood, 'the slow tab to learn the end', (r) => r.status === 'ok', 60_000);
      const slowUpdates = slow.messages.filter((m) => m.type === 'edit' && m.edit.type === 'set_outputs' && m.edit.id === flood);
      const last = (updates: typeof fastUpdates) => {
        const message = updates.at(-1);
        return message?.type === 'edit' && message.edit.type === 'set_outputs' ? message.edit.outputs : undefined;
      };
      expect(last(slowUpdates)).toEqual(last(fastUpdates));
      expect(slowUpdates.length).toBeLessThan(fastUpdates.length / 2);
      const fastBytes = fastUpdates.reduce((n, m) => n + JSON.stringify(m).length, 0);
      expect(slowBytes).toBeLessThan(fastBytes / 2);
    } finally {
      await fast.close();
      await slow.close();
    }
  });
});
