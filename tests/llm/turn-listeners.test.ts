/**
 * A long turn against the real `openai` client: the client leaves an abort listener on the signal of every request
 * it is given, so the turn must not hand it its own signal (Node warns past ten listeners, and each holds memory
 * until the turn ends).
 */
import { afterEach, expect, it } from 'vitest';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';
import { clientFor, memoryNotebookFactory, runTurn } from './harness.ts';

let fake: FakeOpenAIServer | undefined;
afterEach(async () => {
  await fake?.close();
});

it('takes fifteen steps without piling abort listeners on the turn', async () => {
  const steps = 15;
  fake = await startFakeOpenAI({
    script: [...Array.from({ length: steps }, () => reply.tools({ name: 'read_notebook', arguments: {} })), reply.text('Done.')],
  });
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    const harness = await memoryNotebookFactory({});
    const result = await runTurn({ client: clientFor(fake.baseURL), notebook: harness.notebook, prompt: 'Look again and again.' });
    expect(result.reply).toBe('Done.');
    expect(fake.chatRequests).toHaveLength(steps + 1);
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  expect(warnings).not.toContain('MaxListenersExceededWarning');
});
