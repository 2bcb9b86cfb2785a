/**
 * Cellmate as a JupyterHub single-user server, end to end: Debian's jupyterhub 3.0 and its
 * configurable-http-proxy, the dummy authenticator, the simple local-process spawner running `scripts/start.mjs`
 * (tests/helpers/jupyterhub.ts). In Chromium, alice logs in at the hub, gets her Cellmate under /user/alice/,
 * runs a cell over the proxied WebSocket; bob, logged in too, gets nothing of hers (page, API, WebSocket); a
 * hub API token of hers opens her API and her /mcp to a script or an agent, one of bob's doesn't; her notebook
 * survives the hub stopping and starting her server (saved on the spawner's signal: the autosave is put off
 * for ten minutes); her use reaches the hub as activity.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startTestHub, type TestHub } from '../helpers/jupyterhub.ts';

let hub: TestHub;
let browser: Browser;
let alice: BrowserContext;
let alicePage: Page;
const pageErrors: string[] = [];
const SPAWN = { timeout: 90_000 };
/** A test waits for a server to start (twice in the last): more than the usual minute on a loaded machine. */
const TEST_TIMEOUT = 180_000;

beforeAll(async () => {
  // Activity reports every second, so the test sees one without waiting five minutes; no autosave while the
  // test runs, so what is on disk after a stop was saved by the stop.
  const environment = { JUPYTERHUB_ACTIVITY_INTERVAL: '1', CELLMATE_AUTOSAVE_MS: '600000' };
  [hub, browser] = await Promise.all([startTestHub({ environment }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

/** Logs `user` in through the hub's login form; `next` is where the hub sends them afterwards. */
async function logIn(page: Page, user: string, next: string): Promise<void> {
  await page.goto(`${hub.url}/hub/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(hub.password);
  await page.locator('input[type="submit"], button[type="submit"]').first().click();
}

const firstCell = (page: Page) => page.locator('[data-cell-id]').first();

/**
 * A new hub API token of `user`'s, asked for with their own name and password (no cookie, no admin); without
 * `scopes` it holds all of theirs.
 */
async function tokenOf(user: string, scopes?: string[]): Promise<string> {
  const response = await fetch(`${hub.url}/hub/api/users/${user}/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { username: user, password: hub.password }, note: 'cellmate test', ...(scopes ? { scopes } : {}) }),
  });
  const body = (await response.json()) as { token?: string };
  if (response.status !== 201 || !body.token) throw new Error(`no token for ${user}: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

async function serverOf(user: string): Promise<{ ready?: boolean; last_activity?: string } | undefined> {
  const response = await hub.api(`/users/${user}`);
  const model = (await response.json()) as { servers?: Record<string, { ready?: boolean; last_activity?: string }> };
  return model.servers?.[''];
}

describe('Cellmate under JupyterHub', () => {
  it('alice logs in, gets her Cellmate under /user/alice/ and runs a cell over the proxied WebSocket', async () => {
    alice = await browser.newContext();
    alicePage = await alice.newPage();
    alicePage.on('pageerror', (error) => pageErrors.push(error.message));
    const sockets: string[] = [];
    alicePage.on('websocket', (socket) => sockets.push(socket.url()));
    await logIn(alicePage, 'alice', '/hub/spawn');
    // The hub spawns her server, then sends her to it; Cellmate sends her through the hub's OAuth and back.
    await alicePage.waitForURL(`${hub.url}/user/alice/`, SPAWN);
    await alicePage.getByRole('button', { name: 'New notebook' }).click();
    await alicePage.waitForURL(/\/user\/alice\/notebooks\//);

    const before = (await serverOf('alice'))?.last_activity ?? '';
    await firstCell(alicePage).locator('.cm-content').click();
    await alicePage.keyboard.type("import os\nprint(6*7, sorted(k for k in os.environ if k.startswith(('JUPYTERHUB', 'JPY_API'))))");
    await alicePage.keyboard.press('Shift+Enter');
    // The kernel runs without the hub's settings or its token.
    await expect.poll(() => firstCell(alicePage).locator('.cell-outputs').innerText(), SPAWN).toContain('42 []');
    expect(sockets.some((url) => url.startsWith(`ws://127.0.0.1:${new URL(hub.url).port}/user/alice/api/notebooks/`))).toBe(true);

    const session = (await alice.cookies(`${hub.url}/user/alice/`)).find((cookie) => cookie.name === 'cellmate-jupyterhub-user-alice');
    expect(session).toMatchObject({ path: '/user/alice/', httpOnly: true, sameSite: 'Lax', secure: false });
    // Her use reached the hub as the server's activity (what idle culling reads).
    await expect.poll(async () => (await serverOf('alice'))?.last_activity ?? '', { timeout: 20_000 }).not.toBe(before);
    expect(pageErrors).toEqual([]);
   }, TEST_TIMEOUT);

  it('refuses bob alice’s page, API and WebSocket', async () => {
    const bob = await browser.newContext();
    const page = await bob.newPage();
    await logIn(page, 'bob', '/hub/home');
    await page.waitForURL(`${hub.url}/hub/home`);

    // The page: Cellmate sends him to the hub's OAuth for alice's server, which refuses him.
    const answer = await page.goto(`${hub.url}/user/alice/`);
    expect(answer?.status()).toBe(403);
    expect(page.url()).toContain('/hub/api/oauth2/authorize');
    expect(await page.getByRole('button', { name: 'New notebook' }).count()).toBe(0);

    // The API, with bob's cookies, and with a made-up session cookie.
    expect((await page.request.get(`${hub.url}/user/alice/api/notebooks`)).status()).toBe(401);
    await bob.addCookies([{ name: 'cellmate-jupyterhub-user-alice', value: 'made-up', url: `${hub.url}/user/alice/` }]);
    expect((await page.request.get(`${hub.url}/user/alice/api/notebooks`)).status()).toBe(401);
    // alice's own cookies do open it (the same request is refused to bob for being bob).
    expect((await alicePage.request.get(`${hub.url}/user/alice/api/notebooks`)).status()).toBe(200);

    // The WebSocket of her notebook, from a page of the hub's own origin (so Origin is no reason to refuse); the
    // same socket opens for her.
    await page.goto(`${hub.url}/hub/home`);
    const notebookPath = new URL(alicePage.url()).pathname.replace('/user/alice/notebooks/', '');
    const socketUrl = `ws://127.0.0.1:${new URL(hub.url).port}/user/alice/api/notebooks/${encodeURIComponent(decodeURIComponent(notebookPath))}/ws`;
    const connect = (url: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url);
        socket.onopen = () => {
          resolve('open');
          socket.close();
        };
        socket.onclose = (event) => resolve(`closed ${event.code}`);
      });
    expect(await page.evaluate(connect, socketUrl)).toBe('closed 1006');
    expect(await alicePage.evaluate(connect, socketUrl)).toBe('open');
    await bob.close();
   }, TEST_TIMEOUT);

  it('opens alice’s API and /mcp to her hub token, and refuses bob’s', async () => {
    const [aliceToken, bobToken, serverOnly, readOnly] = await Promise.all([
      tokenOf('alice'),
      tokenOf('bob'),
      tokenOf('alice', ['access:servers!server=alice/']),
      tokenOf('alice', ['read:users!user=alice']),
    ]);
    const notebookPath = decodeURIComponent(new URL(alicePage.url()).pathname.replace('/user/alice/notebooks/', ''));
    const get = (authorization: string) => fetch(`${hub.url}/user/alice/api/notebooks`, { headers: { authorization } });
    const listed = await get(`token ${aliceToken}`);
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain(notebookPath);
    expect((await get(`Bearer ${aliceToken}`)).status).toBe(200);
    // A token limited to her server opens it; one of hers without that scope doesn't.
    expect((await get(`token ${serverOnly}`)).status).toBe(200);
    expect((await get(`token ${readOnly}`)).status).toBe(403);
    expect((await get(`token ${bobToken}`)).status).toBe(403);
    expect((await get('token made-up')).status).toBe(401);

    // An agent at /user/alice/mcp with her token, as docs/deploy.md tells one to connect.
    const agent = new Client({ name: 'hub-agent', version: '1.0.0' });
    const mcpUrl = new URL(`${hub.url}/user/alice/mcp`);
    await agent.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { authorization: `Bearer ${aliceToken}` } } }));
    try {
      expect((await agent.listTools()).tools.map((tool) => tool.name)).toContain('read_notebook');
      const read = (await agent.callTool({ name: 'read_notebook', arguments: { notebook_path: notebookPath } })) as CallToolResult;
      expect(read.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n')).toContain('print(6*7');
    } finally {
      await agent.close();
    }
    const intruder = new Client({ name: 'bob-agent', version: '1.0.0' });
    await expect(intruder.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { authorization: `Bearer ${bobToken}` } } }))).rejects.toThrow(/bob may not use this server/);
  }, TEST_TIMEOUT);

  it('keeps alice’s notebook when the hub stops her server and starts it again', async () => {
    const path = decodeURIComponent(new URL(alicePage.url()).pathname.replace('/user/alice/notebooks/', ''));
    expect((await hub.api('/users/alice/server', { method: 'DELETE' })).status).toBeLessThan(300);
    await expect.poll(async () => (await serverOf('alice')) === undefined, SPAWN).toBe(true);
    // Stopped by the spawner's signal, it saved the notebook (source and output) on its way out.
    const saved = await readFile(join(hub.home('alice'), 'workspace', path), 'utf8');
    expect(saved).toContain('print(6*7');
    expect(saved).toContain('42 []');

    expect((await hub.api('/users/alice/server', { method: 'POST' })).status).toBeLessThan(300);
    await expect.poll(async () => (await serverOf('alice'))?.ready === true, SPAWN).toBe(true);
    // Her session was the old server's; the reload takes her through the hub's OAuth again, without a form.
    await alicePage.reload();
    await expect.poll(() => firstCell(alicePage).locator('.cell-outputs').innerText(), SPAWN).toContain('42 []');
    expect(await firstCell(alicePage).locator('.cm-content').innerText()).toContain('print(6*7');
    expect(alicePage.url()).toContain('/user/alice/notebooks/');
    await alice.close();
   }, TEST_TIMEOUT);
});
