/**
 * Provider failures and bounds: each ends the turn with a clear message (or recovers), and never leaves the
 * notebook half-edited. Written against `NotebookFactory`, like the core scenarios.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NotebookDoc } from '../../server/protocol/index.ts';
import { reply, startFakeOpenAI, type FakeOpenAIOptions, type FakeOpenAIServer } from './fake-openai-server.ts';
import { addedCellId, clientFor, eventsOf, runTurn, type NotebookFactory, type NotebookHarness } from './harness.ts';
import { HANG_GUARD_MS, settlesWithin } from '../helpers/hang-guard.ts';
import { CODE, PYTHON_RUNS } from './python-runs.ts';

const addOne = { name: 'add_cell', arguments: { source: CODE.one, cell_type: 'code', after_cell_id: null } };

export function defineFailureScenarios(label: string, makeNotebook: NotebookFactory): void {
  describe(`agent failures and bounds (${label})`, () => {
    let server: FakeOpenAIServer | undefined;
    let harness: NotebookHarness | undefined;
    const setup = async (options: FakeOpenAIOptions, env: Record<string, string> = {}) => {
      server = await startFakeOpenAI(options);
      harness = await makeNotebook({ runs: PYTHON_RUNS });
      const before: NotebookDoc = harness.notebook.doc();
      return { server, notebook: harness.notebook, client: clientFor(server.baseURL, env), before };
    };
    afterEach(async () => {
      await harness?.dispose();
      await server?.close();
      server = harness = undefined;
    });

    it('6: retries a 429 and goes on', async () => {
      const { server, notebook, client } = await setup({ script: [reply.rateLimited(0), reply.text('Hello!')] });
      const run = await runTurn({ client, notebook, prompt: 'Hi' });
      expect(run.reply).toBe('Hello!');
      expect(eventsOf(run.events, 'error')).toEqual([]);
      expect(server.chatRequests).toHaveLength(2);
    });

    it('says so when the rate limit outlasts the retries, and changes nothing', async () => {
      const { notebook, client, before } = await setup({ script: [reply.rateLimited(0), reply.rateLimited(0), reply.rateLimited(0)] });
      const run = await runTurn({ client, notebook, prompt: 'Hi' });
      expect(run.error).toEqual({ code: 'rate_limited', message: expect.stringContaining('(429), still after 2 retries') });
      expect(run).toMatchObject({ stopped: true, stop_reason: 'error' });
      expect(notebook.doc()).toBe(before);
    });

    it('401: the API key was rejected — without showing the key', async () => {
      const { notebook, client, before } = await setup({ apiKey: 'the-right-key', script: [reply.text('never')] }, { OPENAI_API_KEY: 'sk-wrong-key-123456789' });
      const run = await runTurn({ client, notebook, prompt: 'Hi' });
      const [error] = eventsOf(run.events, 'error');
      expect(error).toMatchObject({ code: 'auth', message: expect.stringContaining('The API key was rejected') });
      expect(JSON.stringify(run)).not.toContain('sk-wrong-key');
      expect(notebook.doc()).toBe(before);
    });

    it('404: names the model and the base URL', async () => {
      const { server, notebook, client, before } = await setup({ script: [reply.text('never')] });
      const run = await runTurn({ client, notebook, prompt: 'Hi', model: 'no-such-model' });
      expect(run.error?.code).toBe('model_not_found');
      expect(run.error?.message).toContain('Model "no-such-model" was not found at ' + server.baseURL);
      expect(notebook.doc()).toBe(before);
    });

    it('5xx after retries: a clear server error', async () => {
      const { server, notebook, client } = await setup({ script: [1, 2, 3].map(() => reply.error(503, 'Overloaded', { type: 'server_error', retryAfter: 0 })) });
      const run = await runTurn({ client, notebook, prompt: 'Hi' });
      expect(run.error).toEqual({ code: 'server_error', message: expect.stringContaining('HTTP 503') });
      expect(server.chatRequests).toHaveLength(3);
    });

    it('a stream dropped in the middle of a tool call applies nothing', async () => {
      const { notebook, client, before } = await setup({ script: [reply.drop(4, { toolCalls: [addOne] })] });
      const run = await runTurn({ client, notebook, prompt: 'Add a cell' });
      expect(run.error?.code).toBe('stream_dropped');
      expect(run.error?.message).toMatch(/dropped in the middle of its answer/);
      expect(eventsOf(run.events, 'tool_call')).toEqual([]);
      expect(notebook.doc()).toBe(before);
    });

    it('a stream dropped after a finished step keeps that step’s complete cell and the streamed text', async () => {
      const { notebook, client } = await setup({ script: [reply.tools(addOne), reply.drop(3, { text: 'Now I will run it' })] });
      const run = await runTurn({ client, notebook, prompt: 'Add a cell' });
      expect(run.error?.code).toBe('stream_dropped');
      expect(notebook.doc().cells.map((c) => c.source)).toEqual(['', CODE.one]);
      expect(run.reply).toBe('Now I will');
      expect(run.entries.at(-1)).toMatchObject({ kind: 'turn_end', stop_reason: 'error', error: expect.stringContaining('dropped') });
    });

    it('trims the context once after a context-length error, then answers', async () => {
      const { server, notebook, client } = await setup({ script: [reply.contextLengthExceeded(), reply.text('Short answer.')] });
      const history = [
        { kind: 'user' as const, turn: 't0', text: 'An old question' },
        { kind: 'assistant' as const, turn: 't0', text: 'An old answer' },
      ];
      const run = await runTurn({ client, notebook, prompt: 'Hi', history });
      expect(run.reply).toBe('Short answer.');
      const [first, second] = server.chatRequests;
      expect(JSON.stringify(first!.messages)).toContain('An old answer');
      expect(JSON.stringify(second!.messages)).not.toContain('An old answer');
    });

    it('gives up with a clear error when the trimmed context is still too long', async () => {
      const { notebook, client } = await setup({ script: [reply.contextLengthExceeded(), reply.contextLengthExceeded()] });
      const run = await runTurn({ client, notebook, prompt: 'Hi' });
      expect(run.error).toEqual({ code: 'context_length', message: expect.stringContaining('too long for model "fake-model"') });
    });

    it('7: Stop during a hanging stream ends the turn', async () => {
      // The stream never ends by itself: the turn ending at all is Stop's doing.
      const { server, notebook, client, before } = await setup({ script: [reply.hang('Let me think')] });
      const controller = new AbortController();
      const run = await settlesWithin(
        'the stopped turn to end',
        runTurn({
          client,
          notebook,
          prompt: 'Hi',
          signal: controller.signal,
          onEvent: (event) => {
            if (event.type === 'text_delta') controller.abort();
          },
        }),
      );
      expect(run).toMatchObject({ stopped: true, stop_reason: 'aborted', reply: 'Let' });
      expect(run.events.at(-1)).toMatchObject({ type: 'done', stopped: true, stop_reason: 'aborted' });
      expect(notebook.doc()).toBe(before);
      await vi.waitFor(() => expect(server.requests[0]!.aborted).toBe(true), { timeout: HANG_GUARD_MS });
    });

    it('Stop while the client waits to retry a 429 (retry-after 30 s) ends the turn before the retry', async () => {
      const { server, notebook, client } = await setup({ script: [reply.rateLimited(30), reply.text('too late')] });
      const controller = new AbortController();
      const turn = runTurn({ client, notebook, prompt: 'Hi', signal: controller.signal });
      await vi.waitFor(() => expect(server.chatRequests).toHaveLength(1), { interval: 10, timeout: HANG_GUARD_MS });
      controller.abort();
      const run = await settlesWithin('the stopped turn to end', turn);
      expect(run).toMatchObject({ stopped: true, stop_reason: 'aborted' });
      // Ended before the retry was sent (which would have answered 'too late').
      expect(server.chatRequests).toHaveLength(1);
    });

    it('Stop while the model has not answered yet (delayed headers)', async () => {
      // The answer would start in ten minutes: only Stop can end the turn before that.
      const { server, notebook, client } = await setup({ script: [{ kind: 'message', text: 'slow', delayMs: 600_000 }] });
      const controller = new AbortController();
      const turn = runTurn({ client, notebook, prompt: 'Hi', signal: controller.signal });
      await vi.waitFor(() => expect(server.chatRequests).toHaveLength(1), { interval: 10, timeout: HANG_GUARD_MS });
      controller.abort();
      const run = await settlesWithin('the stopped turn to end', turn);
      expect(run).toMatchObject({ stopped: true, stop_reason: 'aborted', reply: '' });
      await vi.waitFor(() => expect(server.requests[0]!.aborted).toBe(true), { timeout: HANG_GUARD_MS });
    });

    it('ends a turn that runs out of wall-clock time', async () => {
      const { notebook, client } = await setup({ script: [reply.hang()] });
      // The stream never ends by itself: only the turn's timeout can end it.
      const run = await settlesWithin('the turn to time out', runTurn({ client, notebook, prompt: 'Hi', limits: { turnTimeoutMs: 200 } }));
      expect(run).toMatchObject({ stopped: true, stop_reason: 'timeout' });
    });

    it('stops after maxSteps even when the model keeps calling tools', async () => {
      const read = () => reply.tools({ name: 'read_notebook', arguments: { cell_ids: null } });
      const { server, notebook, client } = await setup({ script: [read(), read(), read()] });
      const run = await runTurn({ client, notebook, prompt: 'Hi', limits: { maxSteps: 2 } });
      expect(run).toMatchObject({ stopped: true, stop_reason: 'max_steps' });
      expect(server.chatRequests).toHaveLength(2);
    });

    it('stops when the token budget is spent', async () => {
      const { notebook, client } = await setup({ script: [{ kind: 'message', toolCalls: [addOne], usage: { prompt_tokens: 900, completion_tokens: 200 } }, reply.text('never')] });
      const run = await runTurn({ client, notebook, prompt: 'Hi', limits: { maxTokens: 1000 } });
      expect(run).toMatchObject({ stopped: true, stop_reason: 'max_tokens', usage: { total_tokens: 1100 } });
    });

    it('continues a conversation from its stored entries', async () => {
      const { server, notebook, client } = await setup({
        script: [reply.tools(addOne), (req) => reply.textAndTools('Running it.', { name: 'run_cell', arguments: { id: addedCellId(req) } }), reply.text('It printed 1.'), reply.text('It was 1.')],
      });
      const first = await runTurn({ client, notebook, prompt: 'Print 1' });
      expect(first.entries.map((e) => e.kind)).toEqual(['user', 'tool', 'assistant', 'tool', 'assistant', 'turn_end']);
      await runTurn({ client, notebook, prompt: 'What did it print?', history: first.entries });
      const messages = server.chatRequests[3]!.messages;
      expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      expect(messages[1]!.content).toBe('Print 1');
      expect(messages[2]!.content).toContain('[tool add_cell(source="print(1)", cell_type="code") → added cell');
      expect(messages[2]!.content).toContain('It printed 1.');
    });
  });
}
