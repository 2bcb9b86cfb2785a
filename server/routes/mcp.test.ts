import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from '../sessions/session-manager.ts';
import { Workspace } from '../store/storage.ts';
import { createApp } from './app.ts';
import { clientName } from '../mcp/endpoint.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

const token = 'test-token';
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'Test\u202Eagent\u0007', version: '1' } },
};

let root: string;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-mcp-'));
  const workspace = new Workspace(root);
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10 });
  app = createApp({ token, sessions, workspace });
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

const post = (body: unknown, extra: Record<string, string> = {}) =>
  app.request('/mcp', { method: 'POST', headers: { ...headers, ...extra }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('/mcp', () => {
  it('needs the token, and refuses a page of another origin', async () => {
    expect((await app.request('/mcp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(initialize) })).status).toBe(401);
    expect((await post(initialize, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(initialize, { origin: 'null' })).status).toBe(403);
    expect((await post(initialize, { origin: 'http://localhost' })).status).toBe(200);
  });

  it('starts a session on initialize only, answers 404 for an unknown one, 405 to GET, and a JSON-RPC parse error', async () => {
    const started = await post(initialize);
    expect(started.status).toBe(200);
    const session = started.headers.get('mcp-session-id');
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    expect((await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' })).status).toBe(400);
    expect((await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': 'gone' })).status).toBe(404);
    expect((await app.request('/mcp', { headers })).status).toBe(405);
    const broken = await post('{"jsonrpc":', { 'mcp-session-id': session! });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: -32700 } });
    const ended = await app.request('/mcp', { method: 'DELETE', headers: { ...headers, 'mcp-session-id': session!, 'mcp-protocol-version': '2025-06-18' } });
    expect(ended.status).toBe(200);
    expect((await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, { 'mcp-session-id': session! })).status).toBe(404);
  });

  it("keeps a client's name printable and short before it goes into a notebook", () => {
    expect(clientName({ name: 'Test\u202Eagent\u0007' })).toBe('Testagent');
    expect(clientName({ name: 'claude-code', title: 'Claude Code' })).toBe('Claude Code');
    expect(clientName({ name: '\u200B' })).toBe('MCP client');
    expect(clientName(undefined)).toBe('MCP client');
    expect(clientName({ name: 'x'.repeat(500) })).toHaveLength(80);
  });
});
