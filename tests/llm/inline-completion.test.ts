/**
 * Inline completion through Cellmate's real HTTP listener, with the real `openai` client talking to the fake model
 * server: off by default, the exact requests the model receives (fill in the middle and chat, bounded, the key
 * only in the header), the answer made plain, the choice kept without the key, and a cancelled request closing
 * the model server's connection. No kernel is involved.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CellId, createCell, type CellDoc } from '../../server/protocol/index.ts';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { ProviderSettings } from '../../server/agent/provider-settings.ts';
import { InlineCompleter } from '../../server/agent/inline-completion.ts';
import { MAX_PREFIX_CHARS, MAX_SUFFIX_CHARS, MAX_SUGGESTION_TOKENS } from '../../server/agent/inline-prompt.ts';
import { SessionManager } from '../../server/sessions/session-manager.ts';
import { Workspace } from '../../server/store/storage.ts';
import { createApp } from '../../server/routes/app.ts';
import { listen, type Listener } from '../../server/listen.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';
import { messageText } from './fake-script.ts';
import { waitFor } from '../helpers/cellmate.ts';
import { noKernels } from '../helpers/no-kernels.ts';

const KEY = 'sk-cellmate-inline-secret-5150';
const token = 'inline-token';
let root: string;
let fake: FakeOpenAIServer;
let sessions: SessionManager;
let listener: Listener;
let base: string;
let settingsFile: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-inline-'));
  await mkdir(join(root, 'ws'));
  settingsFile = join(root, 'ws', '.cellmate', 'settings.json');
  fake = await startFakeOpenAI({ apiKey: KEY });
  const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL, CELLMATE_MODEL: 'fake-model', CELLMATE_LLM_MAX_RETRIES: '2' };
  const provider = new ProviderSettings({ base: providerConfigFromEnv(env), file: settingsFile, localServers: [] });
  const workspace = new Workspace(join(root, 'ws'));
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10, watchFiles: false, agent: { provider } });
  // A model request's own timeout far beyond the hang guard: only a cancellation can end a hanging one here.
  const inlineCompleter = new InlineCompleter({ provider, file: settingsFile, timeoutMs: 600_000 });
  await inlineCompleter.load();
  listener = await listen(createApp({ token, sessions, workspace, inlineCompleter }), { host: '127.0.0.1', port: 0, maxMessageBytes: 1 << 20 });
  base = `http://127.0.0.1:${listener.port}`;
  const code = (id: string, source: string): CellDoc => createCell('code', source, CellId.from(id));
  await sessions.create('nb.ipynb', {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'python' } },
    cells: [code('imports', 'import math'), createCell('markdown', '# Not code', CellId.from('notes')), code('here', 'def area(r):\n    return '), code('after', 'print(area(2))')],
  });
});
afterAll(async () => {
  await listener?.close();
  await sessions?.dispose();
  await fake?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.completionRequests.length = 0;
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
const setMode = (mode: string) => api('/api/agent/inline-completion', { method: 'PUT', body: JSON.stringify({ mode }) });
const complete = (body: unknown, signal?: AbortSignal) =>
  api('/api/notebooks/nb.ipynb/inline-complete', { method: 'POST', body: JSON.stringify(body), ...(signal ? { signal } : {}) });

describe('inline completion', () => {
  it('is off by default: the setting says so and a request is refused before any model is asked', async () => {
    expect(await (await api('/api/agent/inline-completion')).json()).toEqual({ mode: 'off' });
    const res = await complete({ cell_id: 'here', code: 'x = ', cursor_pos: 4 });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toMatch(/Inline completion is off/);
    expect(fake.requests).toHaveLength(0);
  });

  it('fills in the middle: the model gets the cells around the cursor as prompt and suffix, bounded, the key only in its header', async () => {
    expect(await (await setMode('fim')).json()).toEqual({ mode: 'fim' });
    // The choice is kept beside the model choice, without the key.
    const saved = await readFile(settingsFile, 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ inline_completion: { mode: 'fim' } });
    expect(saved).not.toContain(KEY);

    fake.pushCompletion(reply.text('math.pi\u202e * r ** 2\x07\n\n'));
    const code = 'def area(r):\n    return ';
    const res = await complete({ cell_id: 'here', code, cursor_pos: code.length });
    expect(res.status).toBe(200);
    const answer = await res.text();
    expect(JSON.parse(answer)).toEqual({ text: 'math.pi * r ** 2', mode: 'fim', model: 'fake-model' });
    expect(answer).not.toContain(KEY);

    expect(fake.completionRequests).toHaveLength(1);
    const request = fake.completionRequests[0]!;
    expect(request).toMatchObject({ model: 'fake-model', prompt: `import math\n\n${code}`, suffix: '\n\nprint(area(2))', max_tokens: MAX_SUGGESTION_TOKENS, temperature: 0, n: 1, stream: false });
    const recorded = fake.requests.find((r) => r.path === '/v1/completions')!;
    expect(recorded.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(recorded.raw).not.toContain(KEY);
    expect(fake.chatRequests).toHaveLength(0);
  });

  it('bounds the prompt and suffix to the text nearest the cursor, positions in code points', async () => {
    await setMode('fim');
    fake.pushCompletion(reply.text('z'));
    const before = `${'a'.repeat(3 * MAX_PREFIX_CHARS)}😀HEAD`;
    const after = `TAIL${'b'.repeat(3 * MAX_SUFFIX_CHARS)}`;
    // The emoji is two UTF-16 units but one code point.
    const res = await complete({ cell_id: 'here', code: before + after, cursor_pos: [...before].length });
    expect(res.status).toBe(200);
    const { prompt, suffix } = fake.completionRequests[0]!;
    expect(prompt.length).toBe(MAX_PREFIX_CHARS);
    expect(prompt.endsWith('😀HEAD')).toBe(true);
    expect(suffix?.length).toBe(MAX_SUFFIX_CHARS);
    expect(suffix?.startsWith('TAIL')).toBe(true);
    expect((await complete({ cell_id: 'here', code: 'ab', cursor_pos: 3 })).status).toBe(400);
    expect((await complete({ cell_id: 'nope', code: 'ab', cursor_pos: 1 })).status).toBe(404);
  });

  it('asks a chat model for the code only, and keeps only the code of its answer', async () => {
    await setMode('chat');
    fake.push(reply.text('```python\n    return math.pi * r ** 2)\n```\nThis computes the area.'));
    const code = 'def area(r):\n    return ';
    const res = await complete({ cell_id: 'here', code: `${code})`, cursor_pos: code.length });
    // Fences and chatter gone, the repeated line start and the closing bracket already there dropped.
    expect(await res.json()).toEqual({ text: 'math.pi * r ** 2', mode: 'chat', model: 'fake-model' });
    const request = fake.chatRequests[0]!;
    expect(request).toMatchObject({ model: 'fake-model', max_tokens: MAX_SUGGESTION_TOKENS, temperature: 0, n: 1, stream: false });
    expect(request.tools).toBeUndefined();
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messageText(request.messages[0]!)).toMatch(/only the text to insert at the cursor/);
    expect(messageText(request.messages[1]!)).toContain(`import math\n\n${code}<CURSOR>)\n\nprint(area(2))`);
    expect(fake.completionRequests).toHaveLength(0);
  });

  it('a model failure is a 502 saying why, without retries and without the key', async () => {
    await setMode('fim');
    fake.pushCompletion(reply.serverError(500));
    const res = await complete({ cell_id: 'here', code: 'x', cursor_pos: 1 });
    expect(res.status).toBe(502);
    const body = await res.text();
    expect(body).not.toContain(KEY);
    expect(fake.completionRequests).toHaveLength(1);
  });

  it('a request the page aborts closes the connection to the model server', async () => {
    await setMode('fim');
    fake.pushCompletion(reply.hang());
    const controller = new AbortController();
    const answer = complete({ cell_id: 'here', code: 'x = ', cursor_pos: 4 }, controller.signal).catch((error: unknown) => error);
    await waitFor('the model server to get the request', () => fake.completionRequests.length === 1);
    const recorded = fake.requests.find((r) => r.path === '/v1/completions')!;
    expect(recorded.aborted).toBe(false);
    controller.abort();
    expect(await answer).toMatchObject({ name: 'AbortError' });
    await waitFor('the model request to be cancelled', () => recorded.aborted);
  });

  it('the saved mode is read again at the next start, over the environment', async () => {
    await setMode('chat');
    const provider = new ProviderSettings({ base: providerConfigFromEnv({}), localServers: [] });
    const next = new InlineCompleter({ provider, file: settingsFile, mode: 'off' });
    await next.load();
    expect(next.mode).toBe('chat');
    expect((await setMode('sometimes')).status).toBe(400);
  });
});
