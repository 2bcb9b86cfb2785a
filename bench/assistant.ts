/**
 * Row 5: the assistant's cost per tool step. The fake model server (tests/llm) answers at once with scripted tool
 * calls: add a `1+1` cell, run it, repeated; the time from one `add_cell` request to the request that gives the
 * run's result back is one step pair, measured against a `1+1` run straight on the Jupyter Server (the kernel's
 * own time). What is left is Cellmate's and the model client's overhead.
 */
import type { TestCellmate } from '../tests/helpers/cellmate.ts';
import { reply, type FakeOpenAIServer } from '../tests/llm/fake-openai-server.ts';
import { addedCellId } from '../tests/llm/harness.ts';
import { SETTINGS } from './settings.ts';
import { summarise, type Row } from './stats.ts';

async function turn(cm: TestCellmate, fake: FakeOpenAIServer, path: string): Promise<number[]> {
  const arrivals: number[] = [];
  for (let n = 0; n < SETTINGS.assistantPairs; n++) {
    fake.push(
      () => {
        arrivals.push(performance.now());
        return reply.tools({ name: 'add_cell', arguments: { source: '1+1', cell_type: 'code', after_cell_id: null } });
      },
      (request) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(request) } }),
    );
  }
  fake.push(() => {
    arrivals.push(performance.now());
    return reply.text('Done.');
  });
  const response = await cm.api(`/api/notebooks/${encodeURIComponent(path)}/agent`, { method: 'POST', body: JSON.stringify({ prompt: 'Add 1+1 and run it, again and again.' }) });
  const events = await response.text();
  if (response.status !== 200 || !events.includes('"done"') || fake.remaining > 0) throw new Error(`the turn failed (${response.status}): ${events.slice(-500)}`);
  return arrivals.slice(1).map((at, n) => at - arrivals[n]!);
}

/** `direct` holds `1+1` times straight on the Jupyter Server (row 1's baseline). */
export async function assistantRow(cm: TestCellmate, fake: FakeOpenAIServer, direct: number[]): Promise<Row> {
  const path = 'assistant.ipynb';
  const created = await cm.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path }) });
  if (created.status !== 201) throw new Error(`could not create ${path}`);
  const pairs: number[] = [];
  await turn(cm, fake, path); // warm-up: the kernel starts, the client connects
  for (let n = 0; n < SETTINGS.assistantTurns; n++) pairs.push(...(await turn(cm, fake, path)));
  await cm.sessions.close(path);
  const ours = summarise(pairs);
  const base = summarise(direct);
  return {
    id: '5',
    what: 'assistant tool steps: add a `1+1` cell, run it, result back to the model (two model calls)',
    ours: { summary: ours, unit: 'ms' },
    baseline: { what: 'direct `1+1` (the kernel’s own time)', summary: base, unit: 'ms' },
    target: '< 10 ms per step beyond the kernel',
    note: `overhead p50 ${(ours.p50 - base.p50).toFixed(1)} ms per add+run pair, ${((ours.p50 - base.p50) / 2).toFixed(1)} ms per tool step; the fake model answers at once, in this process (its own work counts)`,
  };
}
