/**
 * The hub's OAuth from the server's side, against a small stand-in for the hub's two endpoints (the real hub is
 * in tests/e2e/hub.test.ts): the redirect with a state, the callback's checks, the code exchange, the scope
 * check, the session cookie and what it opens, and the hub's word checked again.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
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

const settings: HubOAuthSettings = {
  prefix: '/user/alice/',
  apiUrl: 'http://hub.test/hub/api',
  apiToken: 'server-secret',
  clientId: 'jupyterhub-user-alice',
  callbackUrl: '/user/alice/oauth_callback',
  authorizeUrl: '/hub/api/oauth2/authorize',
  accessScopes: ['access:servers!server=alice/', 'access:servers!user=alice'],
};

/** Codes the stand-in hub will trade, and the users behind access tokens (the hub may revoke one). */
const codes = new Map<string, string>();
const tokens = new Map<string, { name: string; scopes: string[] }>();
const exchanges: Record<string, string>[] = [];

const hub = new Hono()
  .post('/hub/api/oauth2/token', async (c) => {
    const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
    exchanges.push(form);
    const token = codes.get(form.code ?? '');
    const valid = token && form.client_id === settings.clientId && form.client_secret === settings.apiToken && form.redirect_uri === settings.callbackUrl && form.grant_type === 'authorization_code';
    if (!valid) return c.json({ error: 'invalid_grant' }, 400);
    codes.delete(form.code ?? '');
    return c.json({ access_token: token, token_type: 'Bearer' });
  })
  .get('/hub/api/user', (c) => {
    const user = tokens.get(c.req.header('authorization')?.replace(/^token /, '') ?? '');
    return user ? c.json({ kind: 'user', ...user }) : c.json({ status: 403 }, 403);
  });

let now = 1_000_000;
const oauth = new HubOAuth(settings, { fetch: async (url, init) => hub.request(url, init), now: () => now, recheckMs: 60_000 });
let root: string;
let sessions: SessionManager;
let serve: (path: string, init?: RequestInit) => Promise<Response>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-hub-oauth-'));
  await mkdir(join(root, 'ws'));
  const workspace = new Workspace(join(root, 'ws'));
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10 });
  const app = createApp({ token: 'standalone-token', sessions, workspace, hub: oauth, basePath: settings.prefix, webDist: join(root, 'no-dist') });
  const fetchUnder = underBasePath(app.fetch, settings.prefix);
  serve = async (path, init) => fetchUnder(new Request(`http://127.0.0.1:8000${path}`, init));
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

/** `name=value` of a Set-Cookie header named `name`, with its attributes. */
function setCookie(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
}

const SESSION = 'cellmate-jupyterhub-user-alice';
const STATE = `${SESSION}-oauth-state`;

/** Runs the page load and the hub's redirect back for a user whose token is `accessToken`. */
async function logIn(accessToken: string, user: { name: string; scopes: string[] }, headers: Record<string, string> = {}) {
  const start = await serve('/user/alice/notebooks/a.ipynb?x=1', { headers });
  const location = new URL(start.headers.get('location') ?? '', 'http://127.0.0.1:8000');
  const state = location.searchParams.get('state') ?? '';
  const stateCookie = setCookie(start, STATE)?.split(';')[0] ?? '';
  const code = `code-${accessToken}`;
  codes.set(code, accessToken);
  tokens.set(accessToken, user);
  const back = await serve(`/user/alice/oauth_callback?code=${code}&state=${state}`, { headers: { ...headers, cookie: stateCookie } });
  return { start, location, state, stateCookie, back };
}

describe('hub login', () => {
  it('sends a page load without a session to the hub with its client, redirect URI and a fresh state in a cookie', async () => {
    const { start, location, state } = await logIn('t-alice-1', { name: 'alice', scopes: ['access:servers!server=alice/'] });
    expect(start.status).toBe(302);
    expect(location.pathname).toBe('/hub/api/oauth2/authorize');
    expect(Object.fromEntries(location.searchParams)).toEqual({ client_id: settings.clientId, redirect_uri: settings.callbackUrl, response_type: 'code', state });
    expect(state.length).toBeGreaterThanOrEqual(32);
    expect(setCookie(start, STATE)).toMatch(new RegExp(`^${STATE}=${state}; Max-Age=600; Path=/user/alice/; HttpOnly; SameSite=Lax$`));
    const another = await serve('/user/alice/');
    expect(new URL(another.headers.get('location') ?? '', 'http://x').searchParams.get('state')).not.toBe(state);
  });

  it('trades the code for the user and opens a session cookie scoped to the prefix, back on the page asked for', async () => {
    const { back } = await logIn('t-alice-2', { name: 'alice', scopes: ['access:servers!server=alice/'] });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/user/alice/notebooks/a.ipynb?x=1');
    expect(exchanges.at(-1)).toEqual({ client_id: settings.clientId, client_secret: settings.apiToken, grant_type: 'authorization_code', code: 'code-t-alice-2', redirect_uri: settings.callbackUrl });
    const cookie = setCookie(back, SESSION) ?? '';
    expect(cookie).toMatch(new RegExp(`^${SESSION}=[A-Za-z0-9_-]{43}; Path=/user/alice/; HttpOnly; SameSite=Lax$`));
    const session = cookie.split(';')[0] ?? '';
    expect((await serve('/user/alice/api/notebooks', { headers: { cookie: session } })).status).toBe(200);
    expect((await serve('/user/alice/api/notebooks')).status).toBe(401);
    expect((await serve('/user/alice/api/notebooks', { headers: { cookie: `${SESSION}=made-up` } })).status).toBe(401);
    // The stand-alone token is no way in under a hub.
    expect((await serve('/user/alice/api/notebooks', { headers: { authorization: 'Bearer standalone-token' } })).status).toBe(401);
  });

  it('marks the cookies Secure when the browser came over https', async () => {
    const { start, back } = await logIn('t-alice-3', { name: 'alice', scopes: ['access:servers!user=alice'] }, { 'x-forwarded-proto': 'https' });
    expect(setCookie(start, STATE)).toContain('; Secure');
    expect(setCookie(back, SESSION)).toContain('; Secure');
  });

  it('refuses a callback whose state is missing, not the cookie’s, not issued here, or used already', async () => {
    const { state, stateCookie } = await logIn('t-alice-4', { name: 'alice', scopes: ['access:servers!server=alice/'] });
    codes.set('code-x', 't-alice-4');
    for (const [query, cookie] of [
      [`code=code-x&state=${state}`, stateCookie], // used already
      ['code=code-x', stateCookie],
      [`code=code-x&state=${state}`, ''],
      [`code=code-x&state=forged`, `${STATE}=forged`],
    ] as const) {
      const response = await serve(`/user/alice/oauth_callback?${query}`, { headers: { cookie } });
      expect(response.status, query).toBe(400);
      expect(setCookie(response, SESSION)).toBeUndefined();
    }
    // A state sent to the hub but whose callback carries another browser's cookie.
    const fresh = await serve('/user/alice/');
    const freshState = new URL(fresh.headers.get('location') ?? '', 'http://x').searchParams.get('state');
    expect((await serve(`/user/alice/oauth_callback?code=code-x&state=${freshState}`, { headers: { cookie: stateCookie } })).status).toBe(400);
  });

  it('refuses a user whose scopes don’t reach this server, with no session', async () => {
    const { back } = await logIn('t-bob', { name: 'bob', scopes: ['access:servers!server=bob/', 'access:servers!user=bob', 'read:users!user=bob'] });
    expect(back.status).toBe(403);
    expect(await back.json()).toEqual({ error: expect.stringMatching(/bob may not use this server/) });
    expect(setCookie(back, SESSION)).toBeUndefined();
  });

  it('refuses a code the hub does not trade', async () => {
    const start = await serve('/user/alice/');
    const state = new URL(start.headers.get('location') ?? '', 'http://x').searchParams.get('state');
    const cookie = setCookie(start, STATE)?.split(';')[0] ?? '';
    expect((await serve(`/user/alice/oauth_callback?code=never-issued&state=${state}`, { headers: { cookie } })).status).toBe(403);
  });

  it('refuses a cross-origin change with the session cookie, and takes a same-origin one', async () => {
    const { back } = await logIn('t-alice-5', { name: 'alice', scopes: ['access:servers!server=alice/'] });
    const cookie = setCookie(back, SESSION)?.split(';')[0] ?? '';
    const post = (headers: Record<string, string>) =>
      serve('/user/alice/api/notebooks', { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await post({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await post({ origin: 'http://127.0.0.1:8000', 'sec-fetch-site': 'same-origin' })).status).toBe(201);
  });

  it('asks the hub again after a while, and ends the session when it no longer vouches for the token', async () => {
    const { back } = await logIn('t-alice-6', { name: 'alice', scopes: ['access:servers!server=alice/'] });
    const cookie = setCookie(back, SESSION)?.split(';')[0] ?? '';
    tokens.delete('t-alice-6'); // revoked at the hub (logout, expiry)
    expect((await serve('/user/alice/api/notebooks', { headers: { cookie } })).status).toBe(200);
    now += 61_000;
    expect((await serve('/user/alice/api/notebooks', { headers: { cookie } })).status).toBe(401);
    tokens.set('t-alice-6', { name: 'alice', scopes: ['access:servers!server=alice/'] });
    expect((await serve('/user/alice/api/notebooks', { headers: { cookie } })).status).toBe(401);
  });
});
