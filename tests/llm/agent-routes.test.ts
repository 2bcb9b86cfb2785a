/**
 * The assistant's HTTP routes through `app.request`, with the real `openai` client talking to the fake model
 * server over HTTP. The tools used here (add, edit, delete) need no kernel; runs are tested on a real kernel in
 * `agent-server.test.ts`.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CellId, conversationFromMetadata, createCell, type CellDoc, type NotebookDoc } from '../../server/protocol/index.ts';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { ProviderSettings } from '../../server/agent/provider-settings.ts';
import { SessionManager } from '../../server/sessions/session-manager.ts';
import { Workspace } from '../../server/store/storage.ts';
import { createApp } from '../../server/routes/app.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';
import { addedCellId } from './harness.ts';
import { SseReader } from './sse.ts';
import { HANG_GUARD_MS, settlesWithin } from '../helpers/hang-guard.ts';
import { noKernels } from '../helpers/no-kernels.ts';

const KEY = 'sk-cellmate-route-test-0123456789';
const token = 'route-token';
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
let root: string;
let fake: FakeOpenAIServer;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;

function start(env: Record<string, string>, localServers: { name: string; baseURL: string }[] = []) {
  const provider = new ProviderSettings({ base: providerConfigFromEnv(env), file: join(root, 'ws', '.cellmate', 'settings.json'), localServers, detectTimeoutMs: 2000 });
  const workspace = new Workspace(join(root, 'ws'));
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10, watchFiles: false, agent: { provider } });
  app = createApp({ token, sessions, workspace });
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-agent-routes-'));
  await mkdir(join(root, 'ws'));
  fake = await startFakeOpenAI({ apiKey: KEY, models: ['fake-model', 'other-model'] });
  start({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL, CELLMATE_MODEL: 'fake-model', CELLMATE_LLM_MAX_RETRIES: '0' });
});
afterEach(async () => {
  await sessions.dispose();
  await fake.close();
  await rm(root, { recursive: true, force: true });
});

const code = (id: string, source: string): CellDoc => createCell('code', source, CellId.from(id));
async function notebook(path: string, cells: CellDoc[] = [code('first', '')]): Promise<NotebookDoc> {
  const doc: NotebookDoc = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
  await sessions.create(path, doc);
  return doc;
}
const api = (path: string, init: RequestInit = {}) => app.request(path, { ...init, headers });
const post = (path: string, body: unknown) => api(path, { method: 'POST', body: JSON.stringify(body) });
const docOf = async (path: string) => (await sessions.open(path)).doc();

describe('POST /api/notebooks/{path}/agent', () => {
  it('streams the turn as server-sent events, ending after done, and keeps the conversation in the notebook', async () => {
    await notebook('a.ipynb');
    fake.push(
      reply.textAndTools('Adding a cell.', { name: 'add_cell', arguments: { source: 'x = 1', cell_type: 'code', after_cell_id: null } }),
      (req) => reply.tools({ name: 'edit_cell', arguments: { id: addedCellId(req), source: 'x = 2' } }),
      reply.text('Done: x is 2.'),
    );
    const res = await post('/api/notebooks/a.ipynb/agent', { prompt: 'Set x' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const messages = await new SseReader(res.body).all();
    expect(messages.every((m) => m.event === m.data.type)).toBe(true);
    const types = messages.map((m) => m.event);
    expect(types[0]).toBe('turn_start');
    expect(types.at(-1)).toBe('done');
    expect(types.filter((t) => t === 'done')).toHaveLength(1);
    expect(messages.flatMap((m) => (m.data.type === 'cell_changed' ? [m.data.change] : []))).toEqual(['added', 'edited']);
    expect(messages.at(-1)!.data).toMatchObject({ type: 'done', reply: 'Adding a cell.\n\nDone: x is 2.' });

    const doc = await docOf('a.ipynb');
    expect(doc.cells.map((c) => c.source)).toEqual(['', 'x = 2']);
    expect(doc.cells[1]!.metadata).toMatchObject({ cellmate: { author: 'agent', model: 'fake-model' } });
    const kinds = conversationFromMetadata(doc.metadata).map((e) => e.kind);
    expect(kinds).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant', 'turn_end']);
    // Every model request carried the key; nothing else holds it.
    expect(fake.requests.every((r) => r.headers['authorization'] === `Bearer ${KEY}`)).toBe(true);

    // After a reload from disk the conversation is still there.
    await sessions.close('a.ipynb');
    const reloaded = await docOf('a.ipynb');
    expect(conversationFromMetadata(reloaded.metadata)).toEqual(conversationFromMetadata(doc.metadata));
    expect(await readFile(join(root, 'ws', 'a.ipynb'), 'utf8')).not.toContain(KEY);
  });

  it('answers once with ?wait=1', async () => {
    await notebook('w.ipynb');
    fake.push(reply.text('Hello.'));
    const res = await post('/api/notebooks/w.ipynb/agent?wait=1', { prompt: 'Hi' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ turn: expect.stringMatching(/^t-/), reply: 'Hello.', cells_changed: [], usage: expect.objectContaining({ total_tokens: expect.any(Number) }) });
  });

  it('stops a turn in the middle of the model writing: done says stopped, the half-written call is not applied', async () => {
    await notebook('s.ipynb');
    fake.push(
      reply.tools({ name: 'add_cell', arguments: { source: 'x = 1', cell_type: 'code', after_cell_id: null } }),
      reply.hang('Now the second cell', { name: 'add_cell', arguments: { source: 'y = 2', cell_type: 'code', after_cell_id: null } }),
    );
    const stream = new SseReader((await post('/api/notebooks/s.ipynb/agent', { prompt: 'Two cells' })).body);
    await stream.until((m) => m.data.type === 'tool_call_delta' && m.data.step === 2);
    expect(await (await post('/api/notebooks/s.ipynb/agent/stop', {})).json()).toEqual({ stopped: true });
    // The model's stream never ends by itself: `done` coming at all is Stop's doing.
    const done = await settlesWithin('done after Stop', stream.until((m) => m.event === 'done'));
    expect(done.data).toMatchObject({ stopped: true, stop_reason: 'aborted' });
    expect((await docOf('s.ipynb')).cells.map((c) => c.source)).toEqual(['', 'x = 1']);
    await vi.waitFor(() => expect(fake.requests.at(-1)!.aborted).toBe(true), { timeout: HANG_GUARD_MS });
    expect(await (await post('/api/notebooks/s.ipynb/agent/stop', {})).json()).toEqual({ stopped: false });
    const stored = conversationFromMetadata((await docOf('s.ipynb')).metadata);
    expect(stored.at(-1)).toMatchObject({ kind: 'turn_end', stop_reason: 'aborted' });
  });

  it('refuses a second prompt while a turn runs', async () => {
    await notebook('c.ipynb');
    fake.push(reply.hang('Thinking'));
    const stream = new SseReader((await post('/api/notebooks/c.ipynb/agent', { prompt: 'First' })).body);
    const { data: start } = await stream.until((m) => m.event === 'text_delta');
    const second = await post('/api/notebooks/c.ipynb/agent', { prompt: 'Second' });
    expect(second.status).toBe(409);
    expect((await second.json()).error).toMatch(/already working .*wait for it to finish or stop it/);
    expect(await (await api('/api/notebooks/c.ipynb/agent')).json()).toEqual({ running: start.turn, undoable: [] });
    expect(await (await post('/api/notebooks/c.ipynb/agent/stop', {})).json()).toEqual({ stopped: true });
    await stream.until((m) => m.event === 'done');
    expect(await (await api('/api/notebooks/c.ipynb/agent')).json()).toEqual({ running: null, undoable: [] });
  });

  it('goes on when the stream’s client goes away (only Stop stops a turn)', async () => {
    await notebook('g.ipynb');
    // The model answers only after the client has left.
    fake.push({ kind: 'message', delayMs: 300, toolCalls: [{ name: 'add_cell', arguments: { source: 'x = 1', cell_type: 'code', after_cell_id: null } }] }, reply.text('Added.'));
    const stream = new SseReader((await post('/api/notebooks/g.ipynb/agent', { prompt: 'Add' })).body);
    await stream.until((m) => m.event === 'turn_start');
    await stream.cancel();
    await vi.waitFor(async () => expect((await (await api('/api/notebooks/g.ipynb/agent')).json()).running).toBeNull(), { timeout: HANG_GUARD_MS });
    const doc = await docOf('g.ipynb');
    expect(doc.cells.map((c) => c.source)).toEqual(['', 'x = 1']);
    expect(conversationFromMetadata(doc.metadata).at(-1)).toEqual(expect.not.objectContaining({ stop_reason: expect.anything() }));
  });

  it('refuses a prompt that is empty with 400', async () => {
    await notebook('e.ipynb');
    expect((await post('/api/notebooks/e.ipynb/agent', { prompt: '  ' })).status).toBe(400);
  });
});

describe('undo and review over REST', () => {
  const cells = () => [
    { ...code('a', 'a = 1'), metadata: { tags: ['mine'] } },
    code('b', 'b = 2'),
    createCell('markdown', '# c', CellId.from('c')),
  ];

  it('undoes a turn in one step: added cells removed, edited restored, deleted re-inserted, exactly', async () => {
    const before = await notebook('u.ipynb', cells());
    fake.push(
      reply.tools(
        { name: 'add_cell', arguments: { source: 'new = 3', cell_type: 'code', after_cell_id: 'a' } },
        { name: 'edit_cell', arguments: { id: 'a', source: 'a = 10' } },
        { name: 'delete_cell', arguments: { id: 'c' } },
      ),
      reply.text('Changed three cells.'),
    );
    const { turn } = await (await post('/api/notebooks/u.ipynb/agent?wait=1', { prompt: 'Change things' })).json();
    const changed = await docOf('u.ipynb');
    expect(changed.cells.map((c) => c.source)).toEqual(['a = 10', 'new = 3', 'b = 2']);
    expect(changed.cells[0]!.metadata).toEqual({ tags: ['mine'], cellmate: { review: { previous_source: 'a = 1', turn, model: 'fake-model' } } });
    expect(await (await api('/api/notebooks/u.ipynb/agent')).json()).toEqual({ running: null, undoable: [turn] });

    const undo = await post('/api/notebooks/u.ipynb/agent/undo', { turn });
    expect(await undo.json()).toEqual({ turn, undoable: [] });
    expect((await docOf('u.ipynb')).cells).toEqual(before.cells);
    const again = await post('/api/notebooks/u.ipynb/agent/undo', { turn });
    expect(again.status).toBe(404);
  });

  it('accepts and rejects the agent’s edit of a person’s cell', async () => {
    await notebook('r.ipynb', cells());
    fake.push(reply.tools({ name: 'edit_cell', arguments: { id: 'b', source: 'b = 20' } }), reply.text('Edited.'));
    await post('/api/notebooks/r.ipynb/agent?wait=1', { prompt: 'Edit b' });
    const accepted = await (await post('/api/notebooks/r.ipynb/agent/review', { cell_id: 'b', decision: 'accept' })).json();
    expect(accepted).toMatchObject({ id: 'b', source: 'b = 20', metadata: {} });
    expect((await post('/api/notebooks/r.ipynb/agent/review', { cell_id: 'b', decision: 'accept' })).status).toBe(409);

    fake.push(reply.tools({ name: 'edit_cell', arguments: { id: 'b', source: 'b = 200' } }), reply.tools({ name: 'edit_cell', arguments: { id: 'b', source: 'b = 2000' } }), reply.text('Edited twice.'));
    await post('/api/notebooks/r.ipynb/agent?wait=1', { prompt: 'Edit b again' });
    expect((await docOf('r.ipynb')).cells[1]!.metadata).toMatchObject({ cellmate: { review: { previous_source: 'b = 20' } } });
    const rejected = await (await post('/api/notebooks/r.ipynb/agent/review', { cell_id: 'b', decision: 'reject' })).json();
    expect(rejected).toMatchObject({ id: 'b', source: 'b = 20', metadata: {} });
    expect((await post('/api/notebooks/r.ipynb/agent/review', { cell_id: 'nope', decision: 'reject' })).status).toBe(404);
  });
});

describe('the model provider', () => {
  it('reports its status without the key, lists models, and switches endpoint and model at runtime', async () => {
    const status = await api('/api/agent/status');
    const text = await status.text();
    expect(text).not.toContain(KEY);
    expect(JSON.parse(text)).toMatchObject({ configured: true, base_url: fake.baseURL, model: 'fake-model', has_api_key: true });
    expect(await (await api('/api/agent/models')).json()).toEqual({ models: ['fake-model', 'other-model'] });

    const other = await startFakeOpenAI({ models: ['local-model'] });
    try {
      const switched = await (await api('/api/agent/config', { method: 'PUT', body: JSON.stringify({ base_url: `${other.baseURL}/` }) })).json();
      // The key belongs to the endpoint it was configured for: it does not follow to another one.
      expect(switched).toMatchObject({ configured: true, base_url: other.baseURL, model: null, has_api_key: false });
      await notebook('p.ipynb');
      other.push(reply.text('Local answer.'));
      const answer = await (await post('/api/notebooks/p.ipynb/agent?wait=1', { prompt: 'Hi' })).json();
      expect(answer.reply).toBe('Local answer.');
      expect(other.chatRequests[0]!.model).toBe('local-model');
      expect(other.requests.map((r) => r.headers['authorization'])).not.toContain(`Bearer ${KEY}`);
      const saved = await readFile(join(root, 'ws', '.cellmate', 'settings.json'), 'utf8');
      expect(JSON.parse(saved)).toEqual({ agent: { base_url: other.baseURL, model: null } });
    } finally {
      await other.close();
    }
    const back = await (await api('/api/agent/config', { method: 'PUT', body: JSON.stringify({ base_url: null, model: 'other-model' }) })).json();
    expect(back).toMatchObject({ base_url: fake.baseURL, model: 'other-model', has_api_key: true });
    expect(await readFile(join(root, 'ws', '.cellmate', 'settings.json'), 'utf8')).not.toContain(KEY);
    expect((await api('/api/agent/config', { method: 'PUT', body: JSON.stringify({ base_url: 'ftp://x' }) })).status).toBe(400);
  });

  it('answers 502 when the endpoint is unreachable', async () => {
    await api('/api/agent/config', { method: 'PUT', body: JSON.stringify({ base_url: 'http://127.0.0.1:9/v1' }) });
    const res = await api('/api/agent/models');
    expect(res.status).toBe(502);
    expect((await res.json()).error).toMatch(/Could not reach http:\/\/127\.0\.0\.1:9\/v1/);
  });

  it('ends a turn at an endpoint chosen here in the same words whether nothing listens there or a web server answers', async () => {
    const web = createServer((_request, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const webURL = `http://127.0.0.1:${(web.address() as AddressInfo).port}/v1`;
    try {
      await notebook('scan.ipynb');
      const words: unknown[] = [];
      for (const baseURL of ['http://127.0.0.1:9/v1', webURL]) {
        await api('/api/agent/config', { method: 'PUT', body: JSON.stringify({ base_url: baseURL, model: 'any-model' }) });
        const answer = await (await post('/api/notebooks/scan.ipynb/agent?wait=1', { prompt: 'Hi' })).json();
        words.push(JSON.parse(JSON.stringify(answer.error).replace(baseURL, '<url>')));
      }
      expect(words).toEqual([
        { code: 'connection', message: expect.stringMatching(/^Could not reach <url> as an OpenAI-compatible model server\./) },
        words[0],
      ]);
    } finally {
      web.closeAllConnections();
      await new Promise<void>((resolve) => web.close(() => resolve()));
    }
  });

  it('without a model, a turn ends at once with the help, and the notebook keeps working', async () => {
    await sessions.dispose();
    start({});
    await notebook('n.ipynb');
    const messages = await new SseReader((await post('/api/notebooks/n.ipynb/agent', { prompt: 'Plot it' })).body).all();
    expect(messages.map((m) => m.event)).toEqual(['turn_start', 'error', 'done']);
    expect(messages[1]!.data).toMatchObject({ code: 'not_configured', message: expect.stringMatching(/No model is configured.*OPENAI_API_KEY/) });
    expect(conversationFromMetadata((await docOf('n.ipynb')).metadata).map((e) => e.kind)).toEqual(['user', 'turn_end']);
    expect((await post('/api/notebooks/n.ipynb/cells', { source: 'x = 1' })).status).toBe(201);
    expect((await api('/api/agent/models')).status).toBe(409);
  });

  it('offers a local server it finds, and uses it once chosen', async () => {
    await sessions.dispose();
    const local = await startFakeOpenAI({ models: ['llama3.1'] });
    try {
      start({}, [{ name: 'Ollama', baseURL: local.baseURL }]);
      const status = await (await api('/api/agent/status')).json();
      expect(status).toMatchObject({ configured: false, detected: [{ name: 'Ollama', base_url: local.baseURL, models: ['llama3.1'] }] });
      expect(status.help).toMatch(/^Found Ollama/);
      const chosen = await (await api('/api/agent/config', { method: 'PUT', body: JSON.stringify({ base_url: local.baseURL }) })).json();
      expect(chosen).toMatchObject({ configured: true, base_url: local.baseURL });
      await notebook('l.ipynb');
      local.push(reply.text('Hi from llama.'));
      expect((await (await post('/api/notebooks/l.ipynb/agent?wait=1', { prompt: 'Hi' })).json()).reply).toBe('Hi from llama.');
    } finally {
      await local.close();
    }
  });
});
