import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectNotebookSocket, notebookSocketUrl, type ConnectionStatus, type WebSocketLike } from './notebook-socket.ts';
import { setToken } from './token.ts';

class FakeSocket implements WebSocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  serverOpens() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  serverSends(value: unknown) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(value) }));
  }
  serverCloses(code = 1006) {
    this.readyState = 3;
    // Node has no CloseEvent: an Event with the same fields stands in for it.
    this.onclose?.(Object.assign(new Event('close'), { code, reason: '', wasClean: false }));
  }
}

function setup(probe?: () => Promise<'ok' | 'unauthorized' | 'not_found'>) {
  const sockets: FakeSocket[] = [];
  const statuses: ConnectionStatus[] = [];
  const messages: string[] = [];
  const problems: string[] = [];
  const socket = connectNotebookSocket({
    path: 'dir/a.ipynb',
    origin: 'ws://host',
    onMessage: (m) => messages.push(m.type),
    onStatus: (s) => statuses.push(s),
    onMalformed: (problem) => problems.push(problem),
    createWebSocket: (url) => {
      const fake = new FakeSocket(url);
      sockets.push(fake);
      return fake;
    },
    ...(probe ? { probe } : {}),
  });
  return { socket, sockets, statuses, messages, problems };
}

describe('connectNotebookSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    setToken('t k');
  });
  afterEach(() => vi.useRealTimers());

  it('builds the URL with the path as one segment and the token in the query', () => {
    expect(notebookSocketUrl('ws://h', 'a/b c.ipynb', 't')).toBe('ws://h/api/notebooks/a%2Fb%20c.ipynb/ws?token=t');
  });

  it('reconnects with backoff after losing the connection, and only sends when open', async () => {
    const { socket, sockets, statuses, messages } = setup();
    expect(sockets[0]!.url).toBe('ws://host/api/notebooks/dir%2Fa.ipynb/ws?token=t%20k');
    expect(socket.send({ type: 'ping' })).toBe(false);
    sockets[0]!.serverOpens();
    sockets[0]!.serverSends({ type: 'pong' });
    expect(socket.send({ type: 'interrupt' })).toBe(true);
    sockets[0]!.serverCloses();
    expect(socket.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(300);
    expect(sockets).toHaveLength(2);
    sockets[1]!.serverOpens();
    expect(statuses).toEqual(['open', 'reconnecting', 'open']);
    expect(messages).toEqual(['pong']);
    socket.dispose();
  });

  it('stops retrying when the probe says the token is refused', async () => {
    const { socket, sockets } = setup(async () => 'unauthorized');
    sockets[0]!.serverCloses();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(socket.status).toBe('unauthorized');
    expect(sockets).toHaveLength(1);
  });

  it('reconnects when the connection goes silent', async () => {
    const { socket, sockets } = setup();
    sockets[0]!.serverOpens();
    await vi.advanceTimersByTimeAsync(61_000);
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    expect(sockets[0]!.sent).toContain('{"type":"ping"}');
    socket.dispose();
  });

  it("passes a snapshot on before its cells' full check, and says after the next paint what that check found", async () => {
    const { socket, sockets, messages, problems } = setup();
    sockets[0]!.serverOpens();
    const cell = { id: 'x', cell_type: 'code', source: '', metadata: {}, execution_count: null, outputs: [{ output_type: 'stream', name: 'stdout', text: 'ok' }] };
    const snapshot = (outputs: unknown[]) => ({
      type: 'snapshot',
      client_id: 'c',
      path: 'dir/a.ipynb',
      doc: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ ...cell, outputs }] },
      runtime: {},
      kernel: { state: 'idle' },
    });
    sockets[0]!.serverSends(snapshot(cell.outputs));
    sockets[0]!.serverSends(snapshot([{ output_type: 'stream', name: 'stdout' }]));
    expect(messages).toEqual(['snapshot', 'snapshot']);
    expect(problems).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('doc.cells[0].outputs[0].text');
    // Cells not even shaped like cells are not passed on at all.
    sockets[0]!.serverSends({ ...snapshot([]), doc: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{}] } });
    expect(messages).toEqual(['snapshot', 'snapshot']);
    socket.dispose();
  });
});
