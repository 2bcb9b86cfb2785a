/**
 * A client that sends its next prompt the moment it reads `done` is never refused: the runner lets go of a turn
 * before `done` reaches anyone (the SSE stream, every tab). The real `openai` client talks to the fake model
 * server over HTTP; the route is served both in process (`app.request`, where reading the stream takes only
 * microtasks) and on a real port.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CellId, ClientId, createCell, type AgentEvent, type ServerMessage } from '../../server/protocol/index.ts';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { ProviderSettings } from '../../server/agent/provider-settings.ts';
import { SessionManager } from '../../server/sessions/session-manager.ts';
import { Workspace } from '../../server/store/storage.ts';
import { createApp } from '../../server/routes/app.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';
import { SseReader } from './sse.ts';
import { settlesWithin } from '../helpers/hang-guard.ts';
import { noKernels } from '../helpers/no-kernels.ts';

const KEY = 'sk-cellmate-next-turn-0123456789';
const token = 'next-turn-token';
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const TURNS = 40;
let root: string;
let fake: FakeOpenAIServer;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-next-turn-'));
  await mkdir(join(root, 'ws'));
  fake = await startFakeOpenAI({ apiKey: KEY, models: ['fake-model'] });
  const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL, CELLMATE_MODEL: 'fake-model', CELLMATE_LLM_MAX_RETRIES: '0' };
  const provider = new ProviderSettings({ base: providerConfigFromEnv(env), file: join(root, 'ws', '.cellmate', 'settings.json'), localServers: [], detectTimeoutMs: 2000 });
  const workspace = new Workspace(join(root, 'ws'));
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10, watchFiles: false, agent: { provider } });
  app = createApp({ token, sessions, workspace });
  await sessions.create('n.ipynb', { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [createCell('code', '', CellId.from('first'))] });
});
afterEach(async () => {
  await sessions.dispose();
  await fake.close();
  await rm(root, { recursive: true, force: true });
});

type Post = (body: unknown) => Promise<Response>;

/**
 * Sends `TURNS` prompts, each the moment the previous one's `done` is read (no other await in between), and
 * answers with every status seen. The fake model answers each with text, or with a tool call then text.
 */
async function chain(post: Post): Promise<number[]> {
  for (let i = 0; i < TURNS; i++) {
    fake.push(i % 2 === 0 ? reply.text(`Answer ${i}.`) : reply.tools({ name: 'add_cell', arguments: { source: `x = ${i}`, cell_type: 'code', after_cell_id: null } }));
    if (i % 2 === 1) fake.push(reply.text(`Added ${i}.`));
  }
  const statuses: number[] = [];
  let response = await post({ prompt: 'Turn 0' });
  for (let i = 1; i <= TURNS; i++) {
    statuses.push(response.status);
    if (response.status !== 200) break;
    const stream = new SseReader(response.body);
    await stream.until((m) => m.event === 'done');
    if (i === TURNS) break;
    response = await post({ prompt: `Turn ${i}` });
  }
  return statuses;
}

describe('the next turn right after done', () => {
  it('is accepted every time through app.request', async () => {
    const post: Post = async (body) => app.request('/api/notebooks/n.ipynb/agent', { method: 'POST', headers, body: JSON.stringify(body) });
    const statuses = await settlesWithin('the chain of turns', chain(post));
    expect(statuses).toEqual(Array.from({ length: TURNS }, () => 200));
  });

  it('is accepted every time over a real socket', async () => {
    const server: ServerType = await new Promise((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const post: Post = (body) => fetch(`http://127.0.0.1:${port}/api/notebooks/n.ipynb/agent`, { method: 'POST', headers: { ...headers, host: `127.0.0.1:${port}` }, body: JSON.stringify(body) });
      const statuses = await settlesWithin('the chain of turns', chain(post));
      expect(statuses).toEqual(Array.from({ length: TURNS }, () => 200));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('is accepted even from inside the listener that hears done', async () => {
    const runner = sessions.agentRunner(await sessions.open('n.ipynb'));
    for (let i = 0; i < TURNS; i++) fake.push(reply.text(`Answer ${i}.`));
    const refusals: unknown[] = [];
    const results: Promise<unknown>[] = [];
    const all = new Promise<void>((resolve) => {
      const next = (i: number) => {
        const { result } = runner.prompt({ prompt: `Turn ${i}` }, (event) => {
          if (event.type !== 'done') return;
          if (i + 1 === TURNS) return resolve();
          try {
            next(i + 1);
          } catch (error) {
            refusals.push(error);
            resolve();
          }
        });
        results.push(result);
      };
      next(0);
    });
    await settlesWithin('the chain of turns', all);
    await settlesWithin('the last turn', Promise.all(results));
    expect(refusals).toEqual([]);
    expect(results).toHaveLength(TURNS);
  });

  it('tells the tabs the turn is over before they hear done', async () => {
    const session = await sessions.open('n.ipynb');
    const runner = sessions.agentRunner(session);
    const seen: { running: string | null; event: AgentEvent }[] = [];
    const unsubscribe = session.connect({
      clientId: ClientId.create(),
      send: (message: ServerMessage) => {
        if (message.type === 'agent' && message.event.type === 'done') seen.push({ running: runner.runningTurn, event: message.event });
      },
    });
    try {
      fake.push(reply.text('One.'));
      const { turn, result } = runner.prompt({ prompt: 'One' });
      await settlesWithin('the turn', result);
      expect(seen).toEqual([{ running: null, event: expect.objectContaining({ type: 'done', turn }) }]);
    } finally {
      unsubscribe();
    }
  });
});
