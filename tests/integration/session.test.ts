/**
 * NotebookSession against a real kernel: the agent's runs with timeouts and Stop, from a cold start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CellId, createCell, type CellDoc } from '../../server/protocol/index.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';

let cm: TestCellmate;
beforeAll(async () => {
  cm = await startTestCellmate();
});
afterAll(async () => {
  await cm?.cleanup();
});

async function sessionWith(path: string, cells: CellDoc[]) {
  await cm.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path }) });
  const session = await cm.sessions.open(path);
  session.applyEdits(cells.map((cell, index) => ({ type: 'insert_cell' as const, index, cell })), 'api');
  return session;
}

describe('agent runs through the session', () => {
  it('times out from when the cell starts, even on a cold kernel, and interrupts it', async () => {
    const loop = createCell('code', 'while True: pass', CellId.create());
    const after = createCell('code', 'print("still usable")', CellId.create());
    const session = await sessionWith('cold.ipynb', [loop, after]);
    const result = await session.runCell(loop.id, { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.status).toBe('error');
    expect(result.outputs).toContainEqual(expect.objectContaining({ output_type: 'error', ename: 'KeyboardInterrupt' }));
    const [next] = await session.execute([after.id]);
    expect(next).toMatchObject({ status: 'ok', outputs: [expect.objectContaining({ text: 'still usable\n' })] });
  });

  it('takes a waiting cell out of the queue on Stop, leaving the running one alone', async () => {
    const slow = createCell('code', 'import time; time.sleep(1); print("slow done")', CellId.create());
    const waiting = createCell('code', 'print("should not run")', CellId.create());
    const session = await sessionWith('stop.ipynb', [slow, waiting]);
    const running = session.execute([slow.id]);
    const controller = new AbortController();
    const queued = session.runCell(waiting.id, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    const result = await queued;
    expect(result.status).toBe('aborted');
    const [first] = await running;
    expect(first!.status).toBe('ok');
    expect(first!.outputs).toContainEqual(expect.objectContaining({ text: 'slow done\n' }));
    const cell = session.doc().cells.find((c) => c.id === waiting.id);
    expect(cell?.cell_type === 'code' && cell.outputs).toEqual([]);
  });
});
