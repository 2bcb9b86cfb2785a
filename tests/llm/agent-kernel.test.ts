/**
 * The same agent scenarios on the real thing: a `NotebookSession` with a Python kernel behind an embedded
 * Jupyter Server. The fake model server still plays the model; the code it writes really runs.
 */
import { afterAll, beforeAll } from 'vitest';
import { CellId, createCell, type NotebookDoc } from '../../server/protocol/index.ts';
import { agentNotebook } from '../../server/sessions/agent-runner.ts';
import { NotebookSession } from '../../server/sessions/notebook-session.ts';
import { startTestJupyter, type TestJupyter } from '../helpers/jupyter.ts';
import { defineFailureScenarios } from './failure-scenarios.ts';
import type { NotebookFactory } from './harness.ts';
import { defineAgentScenarios } from './scenarios.ts';

/** Counts interrupts, including the ones the session sends itself on a timeout or Stop. */
class CountingSession extends NotebookSession {
  interrupts = 0;
  override interrupt(): Promise<void> {
    this.interrupts += 1;
    return super.interrupt();
  }
}

let jupyter: TestJupyter | undefined;
beforeAll(async () => {
  jupyter = await startTestJupyter();
});
afterAll(async () => {
  await jupyter?.cleanup();
});

const sessionFactory: NotebookFactory = async (setup) => {
  if (!jupyter) throw new Error('Jupyter did not start');
  const doc: NotebookDoc = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: setup.cells ?? [createCell('code', '', CellId.from('first'))],
  };
  const session = new CountingSession({
    path: 'analysis.ipynb',
    doc,
    kernels: jupyter.provider,
    store: { save: async () => new Date().toISOString(), listFiles: async () => [] },
  });
  // A cell's timeout counts from when its run is queued, kernel start included: start it first.
  if (setup.warm) await session.evaluateSilently('pass', { timeoutMs: 30_000 });
  return {
    // The tools' edits are the assistant's, as in a real turn.
    notebook: agentNotebook(session),
    interrupts: () => session.interrupts,
    isRunning: () => session.doc().cells.some((c) => session.runtimeOf(c.id).status === 'running'),
    dispose: () => session.dispose({ save: false }),
  };
};

defineAgentScenarios('real kernel', sessionFactory);
defineFailureScenarios('real kernel', sessionFactory);
