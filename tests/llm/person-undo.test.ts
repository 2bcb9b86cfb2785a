/**
 * A person's undo and redo in a whole Cellmate: over two tabs' WebSockets and the REST API, and next to the
 * assistant's turns (the fake model server plays the model), whose own undo must keep working alongside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellId, ServerMessage } from '../../server/protocol/index.ts';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { enc, notebookWithCells, openNotebookSocket } from '../helpers/notebook-socket.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';

let fake: FakeOpenAIServer;
let cm: TestCellmate;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const provider = providerConfigFromEnv({ OPENAI_BASE_URL: fake.baseURL, CELLMATE_MODEL: 'fake-model', CELLMATE_LLM_MAX_RETRIES: '0' });
  cm = await startTestCellmate({ provider }, { localModelServers: [] });
});
afterAll(async () => {
  await cm?.cleanup();
  await fake?.close();
});

const sources = async (path: string) => (await cm.sessions.open(path)).doc().cells.map((c) => c.source).join(' | ');
const post = async (path: string, action: 'undo' | 'redo') => {
  const res = await cm.api(`/api/notebooks/${enc(path)}/${action}`, { method: 'POST' });
  expect(res.status).toBe(200);
  return res.json();
};
const isEdit = (type: string, id: CellId) => (m: ServerMessage) =>
  m.type === 'edit' && m.edit.type === type && (m.edit.type === 'insert_cell' ? m.edit.cell.id === id : 'id' in m.edit && m.edit.id === id);

describe("a person's undo in a whole Cellmate", () => {
  it("is one history for the notebook's tabs: a delete in one tab is undone from the other, redone from the first", async () => {
    const [, b] = await notebookWithCells(cm, 'tabs.ipynb', ['a', 'b', 'c']);
    const one = await openNotebookSocket(cm, 'tabs.ipynb');
    const two = await openNotebookSocket(cm, 'tabs.ipynb');
    one.send({ type: 'edit', seq: 1, edit: { type: 'delete_cell', id: b! }, source: 'keyboard' });
    await two.waitFor('the delete', isEdit('delete_cell', b!));
    two.send({ type: 'undo', source: 'keyboard' });
    for (const socket of [one, two]) await socket.waitFor('the cell back', isEdit('insert_cell', b!));
    expect(await sources('tabs.ipynb')).toBe(' | a | b | c');
    one.send({ type: 'redo', source: 'keyboard' });
    await two.waitFor('the cell deleted again', (m) => isEdit('delete_cell', b!)(m) && m.type === 'edit' && m.origin === undefined);
    expect(await sources('tabs.ipynb')).toBe(' | a | c');
    await Promise.all([one.close(), two.close()]);
  });

  it('undoes and redoes over REST, saying whether anything changed', async () => {
    await notebookWithCells(cm, 'rest.ipynb', ['a']);
    const created = await cm.api(`/api/notebooks/${enc('rest.ipynb')}/cells`, { method: 'POST', body: JSON.stringify({ source: 'md', cell_type: 'markdown', index: 0 }) });
    expect(created.status).toBe(201);
    const patched = await cm.api(`/api/notebooks/${enc('rest.ipynb')}/cells/${(await cm.sessions.open('rest.ipynb')).doc().cells[1]!.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ cell_type: 'raw', source: 'was empty' }),
    });
    expect(patched.status).toBe(200);
    expect(await sources('rest.ipynb')).toBe('md | was empty | a');
    // The PATCH changed type and source in one call: one step back.
    expect(await post('rest.ipynb', 'undo')).toEqual({ changed: true });
    const cells = (await cm.sessions.open('rest.ipynb')).doc().cells;
    expect(cells.map((c) => `${c.cell_type}:${c.source}`)).toEqual(['markdown:md', 'code:', 'code:a']);
    expect(await post('rest.ipynb', 'undo')).toEqual({ changed: true });
    expect(await sources('rest.ipynb')).toBe(' | a');
    expect(await post('rest.ipynb', 'redo')).toEqual({ changed: true });
    expect(await sources('rest.ipynb')).toBe('md |  | a');
    expect(await post('rest.ipynb', 'redo')).toEqual({ changed: true });
    expect(await post('rest.ipynb', 'redo')).toEqual({ changed: false });
    expect(await sources('rest.ipynb')).toBe('md | was empty | a');
  });

  it("undoes a person's operation older than an assistant turn, and the turn's undo still works after it", async () => {
    const [a, b] = await notebookWithCells(cm, 'both.ipynb', ['a = 1', 'b = 2']);
    expect((await cm.api(`/api/notebooks/${enc('both.ipynb')}/cells/${b}`, { method: 'DELETE' })).status).toBe(204);
    const inserted = await cm.api(`/api/notebooks/${enc('both.ipynb')}/cells`, { method: 'POST', body: JSON.stringify({ source: 'mine', index: 2 }) });
    const mine = ((await inserted.json()) as { id: CellId }).id;
    // The assistant edits the cell the person just added and adds one of its own.
    fake.push(
      reply.tools({ name: 'edit_cell', arguments: { id: mine, source: 'mine, edited by the assistant' } }),
      reply.tools({ name: 'add_cell', arguments: { source: 'theirs', cell_type: 'code', after_cell_id: a } }),
      reply.text('Done.'),
    );
    const turn = await cm.api(`/api/notebooks/${enc('both.ipynb')}/agent?wait=1`, { method: 'POST', body: JSON.stringify({ prompt: 'Edit mine, add yours' }) });
    const { turn: turnId } = (await turn.json()) as { turn: string };
    expect(await sources('both.ipynb')).toBe(' | a = 1 | theirs | mine, edited by the assistant');

    // The person's last operation is the insert: it goes, with the assistant's text in it.
    expect(await post('both.ipynb', 'undo')).toEqual({ changed: true });
    expect(await sources('both.ipynb')).toBe(' | a = 1 | theirs');
    // The one before it, older than the turn: the deleted cell comes back after the cell that preceded it.
    expect(await post('both.ipynb', 'undo')).toEqual({ changed: true });
    expect(await sources('both.ipynb')).toBe(' | a = 1 | b = 2 | theirs');

    // The assistant's turn is still undoable: its cell goes; the cell it edited is gone, and stays gone.
    const agentUndo = await cm.api(`/api/notebooks/${enc('both.ipynb')}/agent/undo`, { method: 'POST', body: JSON.stringify({ turn: turnId }) });
    expect(agentUndo.status).toBe(200);
    expect(await sources('both.ipynb')).toBe(' | a = 1 | b = 2');
    // The assistant's undo was no person's step: redo deletes `b` again, then brings the inserted cell back as
    // the undo took it away (the cell before it is gone: at its old index).
    expect(await post('both.ipynb', 'redo')).toEqual({ changed: true });
    expect(await sources('both.ipynb')).toBe(' | a = 1');
    expect(await post('both.ipynb', 'redo')).toEqual({ changed: true });
    expect(await sources('both.ipynb')).toBe(' | a = 1 | mine, edited by the assistant');
    await waitFor('the notebook saved', async () => !(await cm.sessions.open('both.ipynb')).hasUnsavedChanges);
  });
});
