/**
 * The listener with a real socket (no kernels): a WebSocket message over `CELLMATE_MAX_BODY_BYTES` closes that
 * socket with 1009 and nothing else; JSON nested too deep is answered with an error, not a crash; an upgrade is
 * taken under the server's own name in any case, and refused under a rebound name even with a matching Origin;
 * every socket it accepts has Nagle's algorithm off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createNotebook, type ServerMessage } from './protocol/index.ts';
import { createApp } from './routes/app.ts';
import { SessionManager } from './sessions/session-manager.ts';
import { Workspace } from './store/storage.ts';
import { listen, type Listener } from './listen.ts';
import type { Socket } from 'node:net';
import { noKernels } from '../tests/helpers/no-kernels.ts';
import { describeNagle } from '../tests/helpers/nagle.ts';

const token = 'listen-token';
const limits = { maxBodyBytes: 64 * 1024, maxJsonDepth: 20 };

let root: string;
let sessions: SessionManager;
let listener: Listener;
/** Every socket the listener accepted, as its server handed them out. */
const accepted: Socket[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-listen-'));
  const workspace = new Workspace(root, { limits });
  await workspace.writeNotebook('a.ipynb', createNotebook());
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10, watchFiles: false });
  listener = await listen(createApp({ token, sessions, workspace }), { host: '127.0.0.1', port: 0, maxMessageBytes: limits.maxBodyBytes });
  listener.server.on('connection', (socket: Socket) => accepted.push(socket));
});

afterAll(async () => {
  await listener.close();
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

interface Tab {
  ws: WebSocket;
  next(type: ServerMessage['type']): Promise<ServerMessage>;
  closed: Promise<number>;
}

/** A tab on a.ipynb, once its snapshot arrived. */
async function openTab(): Promise<Tab> {
  const ws = new WebSocket(`ws://127.0.0.1:${listener.port}/api/notebooks/a.ipynb/ws?token=${token}`);
  const inbox: ServerMessage[] = [];
  let wake = () => {};
  ws.on('message', (data) => {
    inbox.push(JSON.parse(String(data)));
    wake();
  });
  const closed = new Promise<number>((resolve) => ws.once('close', resolve));
  const next = async (type: ServerMessage['type']): Promise<ServerMessage> => {
    for (;;) {
      const at = inbox.findIndex((message) => message.type === type);
      if (at >= 0) return inbox.splice(at, 1)[0]!;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  await next('snapshot');
  return { ws, next, closed };
}

describe('WebSocket messages', () => {
  it('closes a socket that sends more than CELLMATE_MAX_BODY_BYTES in one message (1009), and only that one', async () => {
    const other = await openTab();
    const tab = await openTab();
    tab.ws.send(JSON.stringify({ type: 'no such message', padding: 'x'.repeat(limits.maxBodyBytes) }));
    // A server that read it would answer that it is no message it knows: the socket must close instead.
    expect(await Promise.race([tab.closed, tab.next('error').then((answer) => JSON.stringify(answer))])).toBe(1009);

    other.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await other.next('pong')).toEqual({ type: 'pong' });
    expect((await fetch(`http://127.0.0.1:${listener.port}/api/health`)).status).toBe(200);
    other.ws.close();
  });

  it('answers a message nested deeper than CELLMATE_MAX_JSON_DEPTH with an error and keeps the socket', async () => {
    const tab = await openTab();
    for (const levels of [25, 30_000]) {
      const metadata = `{"x": ${'['.repeat(levels)}${']'.repeat(levels)}}`;
      tab.ws.send(`{"type": "edit", "seq": 1, "edit": {"type": "set_notebook_metadata", "metadata": ${metadata}}}`);
      expect(await tab.next('error')).toEqual({ type: 'error', message: 'Messages may nest JSON at most 20 levels deep (CELLMATE_MAX_JSON_DEPTH)' });
    }
    tab.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await tab.next('pong')).toEqual({ type: 'pong' });
    tab.ws.close();
  });
});

/** The HTTP status an upgrade with these headers gets: 101 when the socket opens. */
function upgradeStatus(headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${listener.port}/api/notebooks/a.ipynb/ws?token=${token}`, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_request, response) => {
      ws.terminate();
      resolve(response.statusCode ?? 0);
    });
    ws.once('error', reject);
  });
}

describe('WebSocket upgrades and Host', () => {
  it("opens under the server's name written in any case", async () => {
    const port = listener.port;
    expect(await upgradeStatus({ host: `LOCALHOST:${port}`, origin: `http://localhost:${port}` })).toBe(101);
    expect(await upgradeStatus({ host: `127.0.0.1:${port}`, origin: `HTTP://127.0.0.1:${port}` })).toBe(101);
  });

  it('refuses a rebound name even when Origin matches it, and an Origin of another host', async () => {
    const port = listener.port;
    expect(await upgradeStatus({ host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).toBe(403);
    expect(await upgradeStatus({ host: `127.0.0.1:${port}`, origin: `http://evil.example:${port}` })).toBe(403);
    expect(await upgradeStatus({ host: `127.0.0.1:${port}`, origin: 'null' })).toBe(403);
  });
});

describe("Nagle's algorithm", () => {
  it('is off on every socket the listener accepts: API requests and notebook WebSockets', async () => {
    const response = await fetch(`http://127.0.0.1:${listener.port}/api/notebooks`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    await response.text();
    const tab = await openTab();
    // Every socket of this file's requests and tabs (fetch may reuse one it kept alive): at least these two.
    expect(accepted.length).toBeGreaterThanOrEqual(2);
    expect(describeNagle(accepted)).toEqual(accepted.map((socket) => `${socket.localPort} → ${socket.remotePort}: Nagle off`));
    tab.ws.close();
    await tab.closed;
  });
});
