/**
 * The editor's questions to a real kernel (complete, inspect) through the REST API, and each run's timing in
 * the cell's metadata, in the session and in the saved .ipynb.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CellId, completionSchema, inspectionSchema, toCodePoints, toUtf16, type CellId as CellIdType } from '../../server/protocol/index.ts';
import type { NotebookSession } from '../../server/sessions/notebook-session.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { settlesWithin } from '../helpers/hang-guard.ts';

let cm: TestCellmate;
let session: NotebookSession;
const path = 'editor.ipynb';
const enc = encodeURIComponent;

beforeAll(async () => {
  cm = await startTestCellmate();
  await cm.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path }) });
  session = await cm.sessions.open(path);
});
afterAll(async () => {
  await cm?.cleanup();
});

async function complete(code: string, cursorPos: number) {
  const res = await cm.api(`/api/notebooks/${enc(path)}/complete`, { method: 'POST', body: JSON.stringify({ code, cursor_pos: cursorPos }) });
  expect(res.status).toBe(200);
  return completionSchema.parse(await res.json());
}

async function inspect(code: string, cursorPos: number) {
  const res = await cm.api(`/api/notebooks/${enc(path)}/inspect`, { method: 'POST', body: JSON.stringify({ code, cursor_pos: cursorPos }) });
  expect(res.status).toBe(200);
  return inspectionSchema.parse(await res.json());
}

async function addCell(source: string): Promise<CellIdType> {
  const res = await cm.api(`/api/notebooks/${enc(path)}/cells`, { method: 'POST', body: JSON.stringify({ source }) });
  const { id } = (await res.json()) as { id: string };
  if (!CellId.is(id)) throw new Error(`not a cell id: ${id}`);
  return id;
}

const TIMING_KEYS = ['iopub.status.busy', 'iopub.execute_input', 'shell.execute_reply', 'iopub.status.idle'];

describe('completion and inspection', () => {
  it('offers nothing, and starts no kernel, before one runs', async () => {
    expect(await complete('import o', 8)).toMatchObject({ status: 'no_kernel', matches: [] });
    expect(await inspect('len', 3)).toMatchObject({ status: 'no_kernel', found: false });
    expect(session.kernelInfo.state).toBe('not_started');
  });

  it('completes `import o` with os, counting an astral character before the cursor as one code point', async () => {
    const first = await addCell('x = 1');
    const [run] = await session.execute([first]);
    expect(run?.status).toBe('ok');
    const code = 'import sys\ns = "😀𝔘"; import o';
    const cursor = toCodePoints(code, code.length);
    expect(cursor).toBe(code.length - 2);
    const completion = await complete(code, cursor);
    expect(completion.status).toBe('ok');
    expect(completion.matches).toContain('os');
    expect(completion.cursor_end).toBe(cursor);
    // The replaced range, mapped back to UTF-16, is the "o" typed: a UTF-16 cursor would be two off here.
    expect(code.slice(toUtf16(code, completion.cursor_start), toUtf16(code, completion.cursor_end))).toBe('o');
  });

  it("inspects len: its docstring", async () => {
    const inspection = await inspect('len(', 3);
    expect(inspection.status).toBe('ok');
    expect(inspection.found).toBe(true);
    expect(String(inspection.data['text/plain'])).toMatch(/Return the number of items in a container/);
  });

  it('answers empty while a cell runs, without waiting for it', async () => {
    const sleeper = await addCell('import time\ntime.sleep(600)');
    const running = session.execute([sleeper]);
    await waitFor('the cell to run', () => session.runtimeOf(sleeper).status === 'running');
    const completion = await settlesWithin('a completion while a cell runs', complete('import o', 8));
    expect(completion).toMatchObject({ status: 'busy', matches: [] });
    expect(await settlesWithin('an inspection while a cell runs', inspect('len', 3))).toMatchObject({ status: 'busy', found: false });
    // Answered while the cell still sleeps: an answer from the kernel would have waited its ten minutes.
    expect(session.runtimeOf(sleeper).status).toBe('running');
    await session.interrupt();
    const [ended] = await settlesWithin('the interrupted cell', running);
    expect(ended?.outputs).toContainEqual(expect.objectContaining({ ename: 'KeyboardInterrupt' }));
  });

  it('gives up on a kernel busy with something else after the time limit', async () => {
    // The assistant's silent evaluation keeps the kernel busy without a cell running.
    const evaluation = session.evaluateSilently('import time\ntime.sleep(600)', { timeoutMs: 600_000 });
    await waitFor('the kernel to be busy', () => session.kernelInfo.state === 'busy');
    const completion = await settlesWithin('a completion behind an evaluation', complete('import o', 8));
    expect(completion).toMatchObject({ status: 'timeout', matches: [] });
    await session.interrupt();
    expect((await settlesWithin('the interrupted evaluation', evaluation)).error).toMatch(/KeyboardInterrupt/);
    // The kernel answers again once free.
    await waitFor('the kernel to be idle', () => session.kernelInfo.state === 'idle');
    expect((await complete('import o', 8)).matches).toContain('os');
  });
});

describe('run timing', () => {
  it("is kept in the cell's metadata.execution, as JupyterLab keeps it, and saved", async () => {
    const id = await addCell('import time\ntime.sleep(0.2)\n21 * 2');
    const res = await cm.api(`/api/notebooks/${enc(path)}/execute`, { method: 'POST', body: JSON.stringify({ cell_ids: [id] }) });
    expect(res.status).toBe(200);
    const cell = session.doc().cells.find((c) => c.id === id);
    const execution = cell?.metadata['execution'];
    expect(Object.keys(execution ?? {})).toEqual(expect.arrayContaining(TIMING_KEYS));
    const times = TIMING_KEYS.map((key) => Date.parse(String((execution as Record<string, string>)[key])));
    expect(times.every((time) => !Number.isNaN(time))).toBe(true);
    // busy ≤ execute_input ≤ reply ≤ idle, and the sleep between the code's start and the reply.
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(200);

    const saved = await waitFor('the timing on disk', async () => {
      const file = JSON.parse(await readFile(join(cm.workspace, path), 'utf8')) as { cells: { id: string; metadata: Record<string, unknown> }[] };
      return file.cells.find((c) => c.id === id && c.metadata['execution'])?.metadata['execution'];
    });
    expect(saved).toEqual(execution);
  });

  it('is replaced by the next run, and cleared with the outputs when the emptied cell runs', async () => {
    const id = await addCell('1 + 1');
    const timingOf = () => session.doc().cells.find((c) => c.id === id)?.metadata['execution'];
    await session.execute([id]);
    const first = JSON.stringify(timingOf());
    await session.execute([id]);
    expect(Object.keys(timingOf() ?? {})).toEqual(expect.arrayContaining(TIMING_KEYS));
    expect(JSON.stringify(timingOf())).not.toBe(first);
    session.applyEdits([{ type: 'set_source', id, source: '' }], 'api');
    await session.execute([id]);
    expect(timingOf()).toBeUndefined();
  });
});
