/**
 * The model's connection cut in the middle of a tool call, in a whole Cellmate (real Jupyter Server and Python
 * kernel, the notebook WebSocket) with the fake model server cutting its stream three ways: the socket reset, the
 * response ended early, half an SSE event. Each time the turn must end with a sentence a person can act on, the
 * notebook must hold only complete edits (on disk too), undo must put it back exactly, and the next turn must
 * work as if nothing happened.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationFromMetadata, type AgentEvent, type NotebookDoc } from '../../server/protocol/index.ts';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { parseNotebook } from '../../server/store/serializer.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { executeCells, notebookWithCells, openNotebookSocket, type TestSocket } from '../helpers/notebook-socket.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer, type StreamCut } from './fake-openai-server.ts';
import { addedCellId } from './harness.ts';

let fake: FakeOpenAIServer;
let cm: TestCellmate;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const provider = providerConfigFromEnv({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURL, CELLMATE_MODEL: 'fake-model', CELLMATE_LLM_MAX_RETRIES: '0' });
  cm = await startTestCellmate({ provider, agentLimits: { cellTimeoutMs: 60_000 } }, { localModelServers: [] });
});
afterAll(async () => {
  await cm?.cleanup();
  await fake?.close();
});

const addCell = (source: string) => ({ name: 'add_cell', arguments: { source, cell_type: 'code', after_cell_id: null } });

/** The notebook without the stored conversation (which keeps every turn, undone or not). */
function cellsAndMetadata(doc: NotebookDoc): NotebookDoc {
  const { cellmate, ...metadata } = doc.metadata;
  if (!cellmate || typeof cellmate !== 'object' || Array.isArray(cellmate)) return doc;
  const { conversation: _conversation, conversations: _conversations, active_conversation: _active, ...rest } = cellmate;
  return { ...doc, metadata: Object.keys(rest).length > 0 ? { ...metadata, cellmate: rest } : metadata };
}

/** A notebook a person wrote and ran (a cell with output and a count), with a tab open on it. */
async function personsNotebook(path: string): Promise<{ tab: TestSocket; before: NotebookDoc }> {
  const ids = await notebookWithCells(cm, path, ['x = 41\nprint(x)']);
  expect((await executeCells(cm, path, ids))[0]).toMatchObject({ status: 'ok', outputs: [{ text: '41\n' }] });
  const tab = await openNotebookSocket(cm, path);
  const session = await cm.sessions.open(path);
  await session.flush();
  return { tab, before: session.doc() };
}

/** Asks the assistant from the tab; resolves with the turn's events once it is over and stored. */
async function prompt(tab: TestSocket, text: string): Promise<AgentEvent[]> {
  const since = tab.messages.length;
  tab.send({ type: 'agent_prompt', prompt: text });
  const done = await tab.waitFor('the turn’s end', (m) => tab.messages.indexOf(m) >= since && m.type === 'agent' && m.event.type === 'done');
  const turn = done.type === 'agent' ? done.event.turn : '';
  await tab.waitFor('the turn stored', (m) => m.type === 'agent_state' && tab.messages.indexOf(m) > since && !m.agent.running);
  return tab.messages.flatMap((m) => (m.type === 'agent' && m.event.turn === turn ? [m.event] : []));
}

/** The file on disk once everything is saved, as a notebook; it must parse without repairs. */
async function onDisk(path: string): Promise<NotebookDoc> {
  const session = await cm.sessions.open(path);
  await session.flush();
  const { doc, warnings } = parseNotebook(await readFile(join(cm.workspace, path), 'utf8'));
  expect(warnings).toEqual([]);
  return doc;
}

/** The turn's end says why in words, not a stack or a raw library error. */
function expectClearDropError(events: AgentEvent[]): void {
  expect(events.at(-1)).toMatchObject({ type: 'done', stopped: true, stop_reason: 'error' });
  const errors = events.filter((e) => e.type === 'error');
  expect(errors).toHaveLength(1);
  const [error] = errors;
  expect(error).toMatchObject({ code: 'stream_dropped', message: expect.stringMatching(/^The connection to the model dropped in the middle of its answer/) });
  expect(error?.type === 'error' && error.message).not.toMatch(/\n|\bat \S+:\d+|TypeError|ECONNRESET|terminated|undefined/);
}

describe('the model’s stream cut in the middle of a tool call', () => {
  it.each<StreamCut>(['reset', 'end', 'mid-event'])('first call half written (%s): a clear error, nothing applied, the next turn works', async (cut) => {
    const path = `cut-${cut}.ipynb`;
    const { tab, before } = await personsNotebook(path);

    fake.push(reply.cutInToolCalls([addCell('y = x + 1\nprint(y)')], { cut, text: 'I will add a cell.' }));
    const events = await prompt(tab, 'Add one to x');
    // The cut came while the call's arguments were streaming: the tabs saw part of them, never the call.
    expect(events.some((e) => e.type === 'tool_call_delta' && e.arguments_delta !== '')).toBe(true);
    expect(events.filter((e) => e.type === 'tool_call' || e.type === 'cell_changed')).toEqual([]);
    expectClearDropError(events);

    const session = await cm.sessions.open(path);
    expect(cellsAndMetadata(session.doc())).toEqual(before);
    const stored = conversationFromMetadata(session.doc().metadata).at(-1);
    expect(stored).toMatchObject({ kind: 'turn_end', stop_reason: 'error', error: expect.stringMatching(/dropped in the middle/) });
    expect(cellsAndMetadata(await onDisk(path))).toEqual(before);

    fake.push(reply.tools(addCell('y = x + 1\nprint(y)')), reply.text('Added.'));
    const next = await prompt(tab, 'Try again');
    expect(next.at(-1)).toMatchObject({ type: 'done', reply: 'Added.' });
    expect(next.at(-1)).not.toHaveProperty('stopped');
    expect(next.some((e) => e.type === 'error')).toBe(false);
    expect(session.doc().cells.map((c) => c.source)).toEqual([...before.cells.map((c) => c.source), 'y = x + 1\nprint(y)']);
    await tab.close();
  });

  it('after a complete step (a cell added and run): a clear error, the cell kept whole, undo takes it out exactly', async () => {
    const path = 'cut-after-step.ipynb';
    const { tab, before } = await personsNotebook(path);

    fake.push(
      reply.tools(addCell('y = x + 1\nprint(y)')),
      (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }),
      (req) => reply.cutInToolCalls([{ name: 'edit_cell', arguments: { id: addedCellId(req), source: 'y = x + 2\nprint(y)' } }], { fraction: 0.7 }),
    );
    const events = await prompt(tab, 'Add one to x, run it, then make it two');
    expectClearDropError(events);
    expect(events.flatMap((e) => (e.type === 'cell_changed' ? [e.change] : []))).toEqual(['added', 'ran']);
    const turn = events[0]!.turn;

    // The complete steps stay, the half-written edit is nowhere: the cell as added and run by the kernel.
    const session = await cm.sessions.open(path);
    const added = session.doc().cells.at(-1)!;
    expect(session.doc().cells.slice(0, -1)).toEqual(before.cells);
    expect(added).toMatchObject({ source: 'y = x + 1\nprint(y)', outputs: [{ output_type: 'stream', name: 'stdout', text: '42\n' }] });
    expect((await onDisk(path)).cells).toEqual(session.doc().cells);
    expect(session.agentState.undoable).toContain(turn);

    const sent = tab.messages.length;
    tab.send({ type: 'agent_undo', turn });
    await tab.waitFor('the undo', (m) => tab.messages.indexOf(m) >= sent && m.type === 'agent_state' && !m.agent.undoable.includes(turn));
    expect(cellsAndMetadata(session.doc())).toEqual(before);
    expect(cellsAndMetadata(await onDisk(path))).toEqual(before);

    // The next turn runs on the restored notebook and kernel.
    fake.push(reply.tools(addCell('print(x * 2)')), (req) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(req) } }), reply.text('82.'));
    const next = await prompt(tab, 'Double x');
    expect(next.at(-1)).toMatchObject({ type: 'done', reply: '82.' });
    expect(next.at(-1)).not.toHaveProperty('stopped');
    expect(session.doc().cells.at(-1)).toMatchObject({ source: 'print(x * 2)', outputs: [{ text: '82\n' }] });
    await waitFor('no unsaved changes', () => !session.hasUnsavedChanges);
    await tab.close();
  });
});
