/**
 * Hub API tokens in `Authorization`, against a small stand-in for the hub's `GET /user` (the real hub is in
 * tests/e2e/hub.test.ts): the verdict cache (one question per burst, kept a while, bounded, nothing kept when
 * the hub can't be reached), and through the app, the API and `/mcp` opened to a token whose scopes reach this
 * server, refused to another user's and to one the hub doesn't know.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from '../sessions/session-manager.ts';
import { Workspace } from '../store/storage.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';
import { createApp } from '../routes/app.ts';
import { underBasePath } from '../routes/base-path.ts';
import { HubOAuth, type HubOAuthSettings } from './hub-oauth.ts';
import { HubTokenCache, hubTokenOf } from './hub-tokens.ts';
import type { HubUser } from './sessions.ts';

const settings: HubOAuthSettings = {
  prefix: '/user/alice/',
  apiUrl: 'http://hub.test/hub/api',
  apiToken: 'server-secret',
  clientId: 'jupyterhub-user-alice',
  callbackUrl: '/user/alice/oauth_callback',
  authorizeUrl: '/hub/api/oauth2/authorize',
  accessScopes: ['access:servers!server=alice/', 'access:servers!user=alice'],
};

/** The users behind the tokens the stand-in hub knows, and the tokens it was asked about. */
const tokens = new Map<string, HubUser>([
  ['alice-token', { name: 'alice', scopes: ['access:servers!user=alice', 'read:users!user=alice'] }],
  ['bob-token', { name: 'bob', scopes: ['access:servers!user=bob'] }],
]);
const asked: string[] = [];
const hub = new Hono().get('/hub/api/user', (c) => {
  const token = c.req.header('authorization')?.replace(/^token /, '') ?? '';
  asked.push(token);
  const user = tokens.get(token);
  return user ? c.json({ kind: 'user', ...user }) : c.json({ status: 403 }, 403);
});

let now = 1_000_000;
let root: string;
let sessions: SessionManager;
let serve: (path: string, init?: RequestInit) => Promise<Response>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-hub-tokens-'));
  const workspace = new Workspace(root);
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10 });
  const oauth = new HubOAuth(settings, { fetch: async (url, init) => hub.request(url, init), now: () => now, tokenTtlMs: 60_000 });
  const app = createApp({ token: 'standalone-token', sessions, workspace, hub: oauth, basePath: settings.prefix });
  const fetchUnder = underBasePath(app.fetch, settings.prefix);
  serve = async (path, init) => fetchUnder(new Request(`http://127.0.0.1:8000${path}`, init));
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('hub API tokens', () => {
  it('reads the token of `token <t>` and `Bearer <t>`, and nothing else', () => {
    expect(hubTokenOf('token abc')).toBe('abc');
    expect(hubTokenOf('Bearer abc')).toBe('abc');
    expect(hubTokenOf('bearer  abc ')).toBe('abc');
    expect(hubTokenOf('Basic YWxpY2U6cHc=')).toBeUndefined();
    expect(hubTokenOf('token')).toBeUndefined();
    expect(hubTokenOf(undefined)).toBeUndefined();
  });

  it('asks the hub once for a burst, keeps its verdict (yes or no) a while, and only so many', async () => {
    let clock = 0;
    const questions: string[] = [];
    const cache = new HubTokenCache({
      now: () => clock,
      ttlMs: 1000,
      maxEntries: 2,
      check: async (token) => {
        questions.push(token);
        return token === 'bad' ? undefined : { name: token, scopes: [] };
      },
    });
    const burst = await Promise.all([cache.userOf('a'), cache.userOf('a'), cache.userOf('a')]);
    expect(burst.map((user) => user?.name)).toEqual(['a', 'a', 'a']);
    expect(await cache.userOf('bad')).toBeUndefined();
    expect(await cache.userOf('bad')).toBeUndefined();
    expect(questions).toEqual(['a', 'bad']);
    clock += 1001;
    await cache.userOf('a');
    expect(questions).toEqual(['a', 'bad', 'a']);
    // Bounded: a third token pushes out the oldest verdict ('bad'), which is asked about again.
    await cache.userOf('c');
    expect(cache.size).toBe(2);
    await cache.userOf('bad');
    expect(questions).toEqual(['a', 'bad', 'a', 'c', 'bad']);
  });

  it('keeps no verdict when the hub can’t be reached', async () => {
    let isDown = true;
    const cache = new HubTokenCache({
      now: () => 0,
      check: async (token) => {
        if (isDown) throw new Error('connection refused');
        return { name: token, scopes: [] };
      },
    });
    await expect(cache.userOf('a')).rejects.toThrow('connection refused');
    isDown = false;
    expect((await cache.userOf('a'))?.name).toBe('a');
  });

  it('opens the API to a token whose scopes reach this server, in either form, refuses others', async () => {
    const get = (authorization: string) => serve('/user/alice/api/notebooks', { headers: { authorization } });
    expect((await get('token alice-token')).status).toBe(200);
    expect((await get('Bearer alice-token')).status).toBe(200);
    const bob = await get('token bob-token');
    expect(bob.status).toBe(403);
    expect(await bob.json()).toEqual({ error: expect.stringMatching(/bob may not use this server/) });
    expect((await get('token never-issued')).status).toBe(401);
    expect((await get('Bearer standalone-token')).status).toBe(401);
    expect((await get('Basic YWxpY2U6cHc=')).status).toBe(401);
    // A change needs no Origin with a token (no browser adds the header by itself).
    const created = await serve('/user/alice/api/notebooks', {
      method: 'POST',
      headers: { authorization: 'token alice-token', 'content-type': 'application/json' },
      body: JSON.stringify({ path: 'by-script.ipynb' }),
    });
    expect(created.status).toBe(201);
  });

  it('opens /mcp to the same token and refuses bob’s', async () => {
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'script', version: '1' } } };
    const post = (authorization: string, body: unknown, extra: Record<string, string> = {}) =>
      serve('/user/alice/mcp', { method: 'POST', headers: { authorization, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra }, body: JSON.stringify(body) });
    const started = await post('Bearer alice-token', initialize);
    expect(started.status).toBe(200);
    const session = started.headers.get('mcp-session-id') ?? '';
    const listed = await post('token alice-token', { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' });
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain('read_notebook');
    expect((await post('token bob-token', initialize)).status).toBe(403);
    expect((await post('token never-issued', initialize)).status).toBe(401);
    expect((await serve('/user/alice/mcp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(initialize) })).status).toBe(401);
  });

  it('asks the hub about a token again once its verdict is old: a revoked token stops working', async () => {
    tokens.set('short-lived', { name: 'alice', scopes: ['access:servers!server=alice/'] });
    const get = () => serve('/user/alice/api/notebooks', { headers: { authorization: 'token short-lived' } });
    expect((await get()).status).toBe(200);
    tokens.delete('short-lived');
    const before = asked.length;
    expect((await get()).status).toBe(200);
    expect(asked.length).toBe(before);
    now += 60_001;
    expect((await get()).status).toBe(401);
    expect(asked.slice(before)).toEqual(['short-lived']);
  });
});
