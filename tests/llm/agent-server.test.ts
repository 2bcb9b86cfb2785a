/**
 * The assistant in a whole Cellmate: a real Jupyter Server and Python kernel, the HTTP routes and the notebook
 * WebSocket, the fake model server playing the model. The key is in Cellmate's environment, as when a person
 * starts it: it must reach the model and nothing else (not the kernel, not the files).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationFromMetadata, type AgentEvent, type CellDoc, type ServerMessage } from '../../server/protocol/index.ts';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { parseNotebook } from '../../server/store/serializer.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';
import { addedCellId, toolTexts } from './harness.ts';
import { CODE } from './python-runs.ts';
import { SseReader } from './sse.ts';

const KEY = 'sk-cellmate-kernel-test-secret-4242';
const enc = encodeURIComponent;
let fake: FakeOpenAIServer;
let cm: TestCellmate;
let savedKey: string | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY });
  savedKey = process.env['OPENAI_API_KEY'];
  // The embedded Jupyter Server inherits this process's environment (scrubbed): the kernel must not see it.
  process.env['OPENAI_API_KEY'] = KEY;
  const provider = providerConfigFromEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL, CELLMATE_MODEL: 'fake-model', CELLMATE_LLM_MAX_RETRIES: '0' });
  cm = await startTestCellmate({ provider, agentLimits: { cellTimeoutMs: 60_000 } }, { localModelServers: [] });
});
afterAll(async () => {
  await cm?.cleanup();
  await fake?.close();
  if (savedKey === undefined) delete process.env['OPENAI_API_KEY'];
  else process.env['OPENAI_API_KEY'] = savedKey;
});

async function newNotebook(path: string): Promise<void> {
  expect((await cm.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path }) })).status).toBe(201);
}
async function promptOverSse(path: string, prompt: string) {
  const res = await cm.api(`/api/notebooks/${enc(path)}/agent`, { method: 'POST', body: JSON.stringify({ prompt }) });
  expect(res.status).toBe(200);
  return (await new SseReader(res.body).all()).map((m) => m.data);
}
const lastCell = async (path: string): Promise<CellDoc> => (await cm.sessions.open(path)).doc().cells.at(-1)!;
const changes = (events: AgentEvent[]) => events.flatMap((e) => (e.type === 'cell_changed' ? [e.change] : []));

describe('the assistant on a real kernel', () => {
  it('writes a cell, reads the NameError, fixes the cell, runs it and answers; the notebook keeps it all', async () => {
    await newNotebook('sales.ipynb');
    fake.push(
      reply.textAndTools('I will add up the numbers.', { name: 'add_cell', arguments: { source: CODE.missingName, cell_type: 'code', after_cell_id: null } }),
      (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
      (req) => reply.tools({ name: 'edit_cell', arguments: { id: addedCellId(req), source: CODE.fixedName } }),
      (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
      reply.text('The total is 6.'),
    );
    const events = await promptOverSse('sales.ipynb', 'What is 1 + 2 + 3?');
    expect(events[0]!.type).toBe('turn_start');
    expect(events.at(-1)).toMatchObject({ type: 'done', reply: 'I will add up the numbers.\n\nThe total is 6.' });
    expect(changes(events)).toEqual(['added', 'ran', 'edited', 'ran']);
    expect(toolTexts(fake.chatRequests.at(-3)).at(-1)).toContain("NameError: name 'total' is not defined");

    const cell = await lastCell('sales.ipynb');
    expect(cell).toMatchObject({ source: CODE.fixedName, metadata: { cellmate: { author: 'agent' } } });
    expect(cell.cell_type === 'code' && cell.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: '6\n' }]);

    // Reloaded from disk: the fixed cell, its output and the conversation.
    await cm.sessions.close('sales.ipynb');
    const { doc } = parseNotebook(await readFile(join(cm.workspace, 'sales.ipynb'), 'utf8'));
    expect(doc.cells.at(-1)).toEqual(cell);
    const conversation = conversationFromMetadata(doc.metadata);
    expect(conversation[0]).toMatchObject({ kind: 'user', text: 'What is 1 + 2 + 3?' });
    expect(conversation.at(-1)).toMatchObject({ kind: 'turn_end', cells_changed: [cell.id] });
  });

  it('leaves a vega-lite chart in the cell for an altair chart', async () => {
    await newNotebook('chart.ipynb');
    fake.push(
      reply.tools({ name: 'add_cell', arguments: { source: CODE.chart, cell_type: 'code', after_cell_id: null } }),
      (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
      reply.text('S sells more than N.'),
    );
    const answer = await (await cm.api(`/api/notebooks/chart.ipynb/agent?wait=1`, { method: 'POST', body: JSON.stringify({ prompt: 'Chart sales' }) })).json();
    expect(answer.reply).toBe('S sells more than N.');
    const cell = await lastCell('chart.ipynb');
    const mimes = cell.cell_type === 'code' ? cell.outputs.flatMap((o) => (o.output_type === 'execute_result' || o.output_type === 'display_data' ? Object.keys(o.data) : [])) : [];
    expect(mimes).toContain('application/vnd.vegalite.v4+json');
  });

  it('keeps the key out of the kernel and the files', async () => {
    await newNotebook('secret.ipynb');
    const source = "import os\nprint(sorted(k for k in os.environ if 'OPENAI' in k or 'KEY' in k or k.startswith('CELLMATE')))";
    fake.push(
      reply.tools({ name: 'add_cell', arguments: { source, cell_type: 'code', after_cell_id: null } }),
      (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
      reply.text('No secrets here.'),
    );
    await cm.api(`/api/notebooks/secret.ipynb/agent?wait=1`, { method: 'POST', body: JSON.stringify({ prompt: 'Look around' }) });
    const cell = await lastCell('secret.ipynb');
    expect(cell.cell_type === 'code' && cell.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: '[]\n' }]);
    await cm.sessions.close('secret.ipynb');
    expect(await readFile(join(cm.workspace, 'secret.ipynb'), 'utf8')).not.toContain(KEY);
    expect(await (await cm.api('/api/agent/status')).text()).not.toContain(KEY);
    // The model got it on every request (the fake answers 401 otherwise).
    expect(fake.requests.every((r) => r.headers['authorization'] === `Bearer ${KEY}`)).toBe(true);
  });
});

/** A tab: a WebSocket client that records every message. */
async function openTab(path: string) {
  const ws = new WebSocket(`${cm.url.replace('http', 'ws')}/api/notebooks/${enc(path)}/ws?token=${cm.token}`);
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const agentEvents = () => messages.flatMap((m) => (m.type === 'agent' ? [m.event] : []));
  return { ws, messages, agentEvents, send: (message: unknown) => ws.send(JSON.stringify(message)) };
}

describe('the assistant over the notebook socket', () => {
  it('shows a turn live in every tab, refuses a second prompt to its sender, stops and undoes', async () => {
    await newNotebook('tabs.ipynb');
    const [a, b] = [await openTab('tabs.ipynb'), await openTab('tabs.ipynb')];
    fake.push(reply.tools({ name: 'add_cell', arguments: { source: 'print(1)', cell_type: 'code', after_cell_id: null } }), reply.hang('Still thinking'));
    a.send({ type: 'agent_prompt', prompt: 'Add a cell' });
    for (const tab of [a, b]) await waitFor('the added cell and the hanging text', () => tab.agentEvents().some((e) => e.type === 'text_delta'));
    const turn = a.agentEvents()[0]!.turn;
    expect(changes(b.agentEvents())).toEqual(['added']);
    expect(b.messages.some((m) => m.type === 'edit' && m.edit.type === 'insert_cell' && m.source === 'agent')).toBe(true);

    // A tab opened mid-turn sees the turn so far in its snapshot.
    const late = await openTab('tabs.ipynb');
    const snapshot = await waitFor('snapshot', () => late.messages.find((m) => m.type === 'snapshot'));
    expect(snapshot.type === 'snapshot' && snapshot.agent.running?.turn).toBe(turn);
    expect(snapshot.type === 'snapshot' && snapshot.agent.running?.events.map((e) => e.type)).toEqual(expect.arrayContaining(['turn_start', 'cell_changed', 'text_delta']));

    b.send({ type: 'agent_prompt', prompt: 'Something else' });
    const refused = await waitFor('the refusal', () => b.messages.find((m) => m.type === 'error'));
    expect(refused).toMatchObject({ message: expect.stringMatching(/already working/) });

    b.send({ type: 'agent_stop' });
    for (const tab of [a, b, late]) {
      const done = await waitFor('done', () => tab.agentEvents().find((e) => e.type === 'done'));
      expect(done).toMatchObject({ turn, stopped: true, stop_reason: 'aborted' });
      await waitFor('undoable', () => tab.messages.some((m) => m.type === 'agent_state' && !m.agent.running && m.agent.undoable.includes(turn)));
    }
    expect(a.messages.some((m) => m.type === 'error')).toBe(false);

    a.send({ type: 'agent_undo', turn });
    await waitFor('the undo in tab b', () => b.messages.some((m) => m.type === 'edit' && m.edit.type === 'delete_cell'));
    expect((await cm.sessions.open('tabs.ipynb')).doc().cells.map((c) => c.source)).toEqual(['']);
    a.send({ type: 'agent_undo', turn });
    await waitFor('the second undo refused', () => a.messages.some((m) => m.type === 'error' && /can't be undone/.test(m.message)));
    for (const tab of [a, b, late]) tab.ws.close();
  });
});
