/**
 * Row 5: the assistant's cost per tool step. The fake model server answers at once with scripted tool calls: add
 * a `1+1` cell, run it, repeated; the time from one `add_cell` request to the request that gives the run's result
 * back is one step pair, measured against a `1+1` run straight on the Jupyter Server (the kernel's own time),
 * timed between the turns so both see the same load. What is left is Cellmate's and the model client's overhead.
 * The model server runs in a process of its own (model-process.ts), as a provider would.
 */
import { waitFor, type TestCellmate } from '../tests/helpers/cellmate.ts';
import type { DirectKernel } from './direct.ts';
import type { ModelProcess } from './model-process.ts';
import { SETTINGS } from './settings.ts';
import { percentile, summarise, type Row } from './stats.ts';

/** One turn of `SETTINGS.assistantPairs` pairs; the time of each pair. */
async function turn(cm: TestCellmate, model: ModelProcess, path: string): Promise<number[]> {
  // The turn's `done` reaches the stream a moment before the notebook's runner lets go of it (it keeps the turn).
  const session = await cm.sessions.open(path);
  await waitFor('the previous turn to end', () => cm.sessions.agentRunner(session).runningTurn === null || undefined);
  await model.scriptTurn(SETTINGS.assistantPairs);
  const response = await cm.api(`/api/notebooks/${encodeURIComponent(path)}/agent`, { method: 'POST', body: JSON.stringify({ prompt: 'Add 1+1 and run it, again and again.' }) });
  const events = await response.text();
  const { at, remaining } = await model.arrivals();
  if (response.status !== 200 || !events.includes('"done"') || remaining > 0) throw new Error(`the turn failed (${response.status}): ${events.slice(-500)}`);
  return at.slice(1).map((time, n) => time - at[n]!);
}

export async function assistantRow(cm: TestCellmate, model: ModelProcess, direct: DirectKernel): Promise<Row> {
  const path = 'assistant.ipynb';
  const created = await cm.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path }) });
  if (created.status !== 201) throw new Error(`could not create ${path}`);
  const pairs: number[] = [];
  const kernel: number[] = [];
  const turnMedians: number[] = [];
  await turn(cm, model, path); // warm-up: the kernel starts, the client connects
  for (let n = 0; n < SETTINGS.assistantTurns; n++) {
    const before = kernel.length;
    for (let k = 0; k < SETTINGS.assistantPairs; k++) {
      const start = performance.now();
      await direct.run('1+1');
      kernel.push(performance.now() - start);
    }
    const times = await turn(cm, model, path);
    pairs.push(...times);
    turnMedians.push(percentile(times, 0.5) - percentile(kernel.slice(before), 0.5));
  }
  await cm.sessions.close(path);
  const ours = summarise(pairs);
  const base = summarise(kernel);
  const overhead = ours.p50 - base.p50;
  return {
    id: '5',
    what: 'assistant tool steps: add a `1+1` cell, run it, result back to the model (two model calls)',
    ours: { summary: ours, unit: 'ms' },
    baseline: { what: 'direct `1+1` (the kernel’s own time), between the turns', summary: base, unit: 'ms' },
    target: '< 10 ms per step beyond the kernel',
    note:
      `overhead p50 ${overhead.toFixed(1)} ms per add+run pair, ${(overhead / 2).toFixed(1)} ms per tool step ` +
      `(turn by turn: ${turnMedians.map((m) => (m / 2).toFixed(1)).join(', ')} ms per step); the fake model answers at once, from a process of its own`,
  };
}
