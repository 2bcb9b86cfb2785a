/**
 * A notebook survives a restart of Cellmate itself: the same workspace, a new server, the cells and outputs
 * are there, and the new kernel runs them again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestCellmate } from '../helpers/cellmate.ts';

const workspace = await mkdtemp(join(tmpdir(), 'cellmate-restart-'));
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('a server restart', () => {
  it('keeps the notebook, its outputs and execution counts', async () => {
    const first = await startTestCellmate({ workspace });
    let cellId: string;
    try {
      await first.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path: 'keep.ipynb' }) });
      cellId = (await (await first.api('/api/notebooks/keep.ipynb/cells', { method: 'POST', body: JSON.stringify({ source: 'print(6*7)' }) })).json()).id;
      const run = await (await first.api('/api/notebooks/keep.ipynb/execute', { method: 'POST', body: JSON.stringify({ cell_ids: [cellId] }) })).json();
      expect(run.cells[0].status).toBe('ok');
    } finally {
      await first.cleanup();
    }

    const second = await startTestCellmate({ workspace });
    try {
      const nb = await (await second.api('/api/notebooks/keep.ipynb')).json();
      const cell = nb.cells.find((c: { id: string }) => c.id === cellId);
      expect(cell).toMatchObject({ execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: ['42\n'] }] });
      const again = await (await second.api('/api/notebooks/keep.ipynb/execute', { method: 'POST', body: JSON.stringify({ cell_ids: [cellId] }) })).json();
      expect(again.cells[0]).toMatchObject({ status: 'ok', execution_count: 1 });
    } finally {
      await second.cleanup();
    }
  });
});
