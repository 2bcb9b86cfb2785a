/**
 * The agent's core scenarios, written against `NotebookFactory` so they run on the in-memory notebook now and
 * on the notebook session with a real kernel later (`defineAgentScenarios('real kernel', sessionFactory)`).
 * Each asserts the notebook afterwards and what the model was sent.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messageText, reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';
import { addedCellId, clientFor, eventsOf, runTurn, toolTexts, type NotebookFactory, type NotebookHarness } from './harness.ts';
import { HANG_GUARD_MS, settlesWithin } from '../helpers/hang-guard.ts';
import { CODE, PYTHON_RUNS } from './python-runs.ts';

export function defineAgentScenarios(label: string, makeNotebook: NotebookFactory): void {
  describe(`agent scenarios (${label})`, () => {
    let server: FakeOpenAIServer | undefined;
    let harness: NotebookHarness | undefined;
    const setup = async (script: Parameters<typeof startFakeOpenAI>[0] = {}) => {
      server = await startFakeOpenAI(script);
      harness = await makeNotebook({ runs: PYTHON_RUNS, warm: true });
      return { server, harness, notebook: harness.notebook, client: clientFor(server.baseURL) };
    };
    afterEach(async () => {
      await harness?.dispose();
      await server?.close();
      server = harness = undefined;
    });

    it('1: writes a cell, reads the NameError, fixes the same cell, runs it again and answers', async () => {
      const { server, notebook, client } = await setup({
        script: [
          reply.textAndTools('I will add up the numbers.', { name: 'add_cell', arguments: { source: CODE.missingName, cell_type: 'code', after_cell_id: null } }),
          (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
          (req) => reply.tools({ name: 'edit_cell', arguments: { id: addedCellId(req), source: CODE.fixedName } }),
          (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
          reply.text('The total is 6.'),
        ],
      });
      const run = await runTurn({ client, notebook, prompt: 'What is 1 + 2 + 3?' });

      expect(run.reply).toBe('I will add up the numbers.\n\nThe total is 6.');
      expect(run.stopped).toBeUndefined();
      expect(server.remaining).toBe(0);
      const [first, , third, , fifth] = server.chatRequests;
      // What the model was sent: tools, streaming with usage, the system prompt, the prompt with the cell ids.
      expect(first).toMatchObject({ model: 'fake-model', stream: true, stream_options: { include_usage: true } });
      expect(first!.tools!.map((t) => t.function.name)).toContain('run_cell');
      expect(first!.messages[0]).toMatchObject({ role: 'system' });
      expect(messageText(first!.messages.at(-1)!)).toContain('What is 1 + 2 + 3?');
      expect(messageText(first!.messages.at(-1)!)).toContain(notebook.doc().cells[0]!.id);
      // The traceback reached the model, without colour codes.
      const errorResult = toolTexts(third).at(-1)!;
      expect(errorResult).toContain("NameError: name 'total' is not defined");
      expect(errorResult).toContain('----> 1 print(total)');
      expect(errorResult).not.toMatch(/\u001b/);
      expect(toolTexts(fifth).at(-1)).toContain('6\n');

      // The notebook: one agent cell (fixed in place, not duplicated), with the right output.
      const id = addedCellId(fifth!);
      const cells = notebook.doc().cells;
      expect(cells).toHaveLength(2);
      const cell = cells[1]!;
      expect(cell).toMatchObject({ id, source: CODE.fixedName, metadata: { cellmate: { author: 'agent', turn: run.turn, model: 'fake-model' } } });
      expect(cell.cell_type === 'code' && cell.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: '6\n' }]);
      expect(run.cells_changed).toEqual([id]);
      expect(eventsOf(run.events, 'cell_changed').map((e) => e.change)).toEqual(['added', 'ran', 'edited', 'ran']);
      expect(eventsOf(run.events, 'tool_call').map((e) => e.name)).toEqual(['add_cell', 'run_cell', 'edit_cell', 'run_cell']);
      expect(eventsOf(run.events, 'text_delta').map((e) => e.text).join('')).toBe('I will add up the numbers.The total is 6.');
      // Usage is accumulated over the five requests.
      const usages = eventsOf(run.events, 'usage');
      expect(usages).toHaveLength(5);
      expect(usages.at(-1)!.usage).toEqual(run.usage);
      expect(run.usage.total_tokens).toBe(run.usage.prompt_tokens + run.usage.completion_tokens);
      expect(run.usage.prompt_tokens).toBeGreaterThan(usages[0]!.usage.prompt_tokens);
    });

    it('2: a chart reaches the model as a description of its vega-lite spec', async () => {
      const { server, notebook, client } = await setup({
        script: [
          reply.tools({ name: 'add_cell', arguments: { source: CODE.chart, cell_type: 'code', after_cell_id: null } }),
          (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
          reply.text('The chart shows sales by region: S sells more than N.'),
        ],
      });
      await runTurn({ client, notebook, prompt: 'Chart sales by region' });
      const result = toolTexts(server.chatRequests[2]).at(-1)!;
      expect(result).toContain('[vega-lite chart: bar; x=region:nominal, y=sales:quantitative; 2 rows');
      expect(result).not.toContain('$schema');
      const cell = notebook.doc().cells.at(-1)!;
      expect(cell.cell_type === 'code' && Object.keys(cell.outputs[0]!.output_type === 'execute_result' ? cell.outputs[0]!.data : {})).toContain(
        'application/vnd.vegalite.v4+json',
      );
    });

    it('images go to a vision model as image parts, and to others as a description', async () => {
      const script = () => [
        reply.tools({ name: 'add_cell', arguments: { source: CODE.figure, cell_type: 'code', after_cell_id: null } }),
        (req: Parameters<typeof addedCellId>[0]) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
        reply.text('A rising line.'),
      ];
      const { server, notebook, client } = await setup({ script: [...script(), ...script()] });
      await runTurn({ client, notebook, prompt: 'Plot it', vision: true });
      const seen = server.chatRequests[2]!.messages.at(-1)!;
      expect(seen.role).toBe('user');
      expect(JSON.stringify(seen.content)).toMatch(/"type":"image_url","image_url":\{"url":"data:image\/png;base64,iVBOR/);
      expect(toolTexts(server.chatRequests[2]).at(-1)).toMatch(/\[image\/png \d+x\d+ chart\] \(attached as an image\)/);

      await runTurn({ client, notebook, prompt: 'Plot it again' });
      const blind = server.chatRequests[5]!;
      expect(toolTexts(blind).at(-1)).toMatch(/\[image\/png \d+x\d+ chart\]$/m);
      expect(JSON.stringify(blind.messages)).not.toContain('image_url');
    });

    it('3: runs two tool calls from one message, in order, answering each by its id', async () => {
      const { server, notebook, client } = await setup({
        script: [
          reply.tools(
            { id: 'call_a', name: 'add_cell', arguments: { source: CODE.one, cell_type: 'code', after_cell_id: null } },
            { id: 'call_b', name: 'add_cell', arguments: { source: CODE.two, cell_type: 'code', after_cell_id: null } },
          ),
          reply.text('Two cells added.'),
        ],
      });
      const run = await runTurn({ client, notebook, prompt: 'Add two cells' });
      expect(run.reply).toBe('Two cells added.');
      const second = server.chatRequests[1]!;
      const tail = second.messages.slice(-3);
      expect(tail[0]).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_a' }, { id: 'call_b' }] });
      expect(tail.slice(1).map((m) => [m.role, m.tool_call_id])).toEqual([['tool', 'call_a'], ['tool', 'call_b']]);
      expect(notebook.doc().cells.slice(1).map((c) => c.source)).toEqual([CODE.one, CODE.two]);
      expect(eventsOf(run.events, 'tool_call_delta').filter((e) => e.name).map((e) => [e.index, e.name])).toEqual([[0, 'add_cell'], [1, 'add_cell']]);
    });

    it('4: hands arguments that are not JSON back to the model, which retries', async () => {
      const { server, notebook, client } = await setup({
        script: [
          reply.tools({ name: 'add_cell', arguments: '{"source": "print(1)", "cell_type": "code", after_cell_id: null' }),
          (req) => {
            expect(toolTexts(req).at(-1)).toContain('"error":"invalid_json"');
            return reply.tools({ name: 'add_cell', arguments: { source: CODE.one, cell_type: 'code', after_cell_id: null } });
          },
          reply.text('Added.'),
        ],
      });
      const run = await runTurn({ client, notebook, prompt: 'Add a cell printing 1' });
      expect(server.remaining).toBe(0);
      expect(eventsOf(run.events, 'tool_result').map((e) => e.ok)).toEqual([false, true]);
      const failed = eventsOf(run.events, 'tool_call')[0]!;
      expect(typeof failed.args).toBe('string');
      expect(notebook.doc().cells.map((c) => c.source)).toEqual(['', CODE.one]);
      expect(run.entries.filter((e) => e.kind === 'tool').map((e) => e.kind === 'tool' && e.ok)).toEqual([false, true]);
    });

    it('5: interrupts a cell that runs past the timeout and tells the model', async () => {
      const { server, notebook, client } = await setup({
        script: [
          reply.tools({ name: 'add_cell', arguments: { source: CODE.printEndless, cell_type: 'code', after_cell_id: null } }),
          (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
          reply.text('That loop never ends; I stopped it.'),
        ],
      });
      const run = await runTurn({ client, notebook, prompt: 'Loop forever', limits: { cellTimeoutMs: 300 } });
      expect(harness!.interrupts()).toBeGreaterThanOrEqual(1);
      const told = toolTexts(server.chatRequests[2]).at(-1)!;
      expect(told).toContain('working');
      expect(told).toContain('KeyboardInterrupt');
      expect(told).toContain('longer than 300 ms, so the kernel was interrupted');
      expect(eventsOf(run.events, 'tool_result').at(-1)!.summary).toMatch(/timed out after 300 ms/);
      expect(run.reply).toBe('That loop never ends; I stopped it.');
    });

    it('9: sends a 100,000-line output cut to the budget', async () => {
      const { server, notebook, client } = await setup({
        script: [
          reply.tools({ name: 'add_cell', arguments: { source: CODE.hundredThousandLines, cell_type: 'code', after_cell_id: null } }),
          (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
          reply.text('It printed the numbers 0 to 99999.'),
        ],
      });
      const outputChars = 6_000;
      await runTurn({ client, notebook, prompt: 'Print 100k lines', limits: { outputChars } });
      const result = toolTexts(server.chatRequests[2]).at(-1)!;
      expect(result.length).toBeLessThanOrEqual(outputChars + 200);
      expect(result).toMatch(/\n0\n1\n2\n/);
      expect(result).toMatch(/\n99999\n/);
      const note = /\[… (\d+) lines \/ (\d+) chars cut …\]/.exec(result);
      expect(Number(note?.[1])).toBeGreaterThan(98_000);
      // The whole request stays small: the output did not ride along anywhere else.
      expect(server.requests.at(-1)!.raw.length).toBeLessThan(30_000);
    });

    it('7b: Stop while a cell runs interrupts the kernel and ends the turn', async () => {
      const { notebook, client } = await setup({
        script: [
          reply.tools({ name: 'add_cell', arguments: { source: CODE.endless, cell_type: 'code', after_cell_id: null } }),
          (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
          reply.text('never sent'),
        ],
      });
      const controller = new AbortController();
      // The cell never ends and its timeout is ten minutes away: only Stop can end the turn before that.
      const turn = runTurn({ client, notebook, prompt: 'Run forever', signal: controller.signal, limits: { cellTimeoutMs: 600_000 } });
      await vi.waitFor(() => expect(harness!.isRunning()).toBe(true), { timeout: HANG_GUARD_MS, interval: 10 });
      controller.abort();
      const run = await settlesWithin('the stopped turn to end', turn);
      expect(run).toMatchObject({ stopped: true, stop_reason: 'aborted' });
      expect(harness!.interrupts()).toBe(1);
      expect(server!.remaining).toBe(1);
      expect(run.events.at(-1)).toMatchObject({ type: 'done', stopped: true, stop_reason: 'aborted' });
    });
  });
}
