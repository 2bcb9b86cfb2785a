import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { CellId, type Output, type ServerMessage } from '../protocol/index.ts';
import { holdWritesForTick, TabSender, TOO_SLOW, type TabSocket } from './tab-sender.ts';

const a = CellId.from('cell-a');
const b = CellId.from('cell-b');

interface FakeSocket extends TabSocket {
  buffered: number;
  closed: number | undefined;
  sent: string[];
}

function fakeSocket(): FakeSocket {
  const socket: FakeSocket = {
    buffered: 0,
    closed: undefined,
    sent: [],
    isOpen: () => socket.closed === undefined,
    send: (text) => socket.sent.push(text),
    bufferedAmount: () => socket.buffered,
    close: (code) => (socket.closed = code),
  };
  return socket;
}

const text = (t: string): Output[] => [{ output_type: 'stream', name: 'stdout', text: t }];
const outputs = (id: CellId, t: string): ServerMessage => ({ type: 'edit', edit: { type: 'set_outputs', id, outputs: text(t) }, source: 'kernel' });

// What a test needs of a sent frame: its type, and for an output update the cell and its text.
const frame = z.object({
  type: z.string(),
  edit: z.object({ type: z.string(), id: z.string().optional(), outputs: z.array(z.object({ text: z.string() })).optional() }).optional(),
});
const describeSent = (sent: string[]) =>
  sent.map((raw) => {
    const m = frame.parse(JSON.parse(raw));
    if (!m.edit) return m.type;
    return m.edit.type === 'set_outputs' ? `set_outputs:${m.edit.id}:${m.edit.outputs?.[0]?.text}` : m.edit.type;
  });

afterEach(() => {
  vi.useRealTimers();
});

describe('TabSender', () => {
  it('passes everything through while the client keeps up', () => {
    const socket = fakeSocket();
    const sender = new TabSender(socket);
    sender.send(outputs(a, '1'));
    sender.send(outputs(a, '2'));
    sender.send({ type: 'pong' });
    expect(describeSent(socket.sent)).toEqual(['set_outputs:cell-a:1', 'set_outputs:cell-a:2', 'pong']);
  });

  it('holds back output updates for a slow client, keeps only the latest per cell, and sends it once it drains', () => {
    vi.useFakeTimers();
    const socket = fakeSocket();
    const sender = new TabSender(socket, { highWaterBytes: 100, retryMs: 10 });
    socket.buffered = 1_000;
    for (let i = 0; i < 100; i++) sender.send(outputs(a, String(i)));
    sender.send(outputs(b, 'b'));
    sender.send({ type: 'pong' });
    expect(describeSent(socket.sent)).toEqual(['pong']);
    expect(sender.heldCount).toBe(2);
    vi.advanceTimersByTime(50);
    expect(socket.sent).toHaveLength(1);
    socket.buffered = 0;
    vi.advanceTimersByTime(10);
    expect(describeSent(socket.sent).slice(1).sort()).toEqual(['set_outputs:cell-a:99', 'set_outputs:cell-b:b']);
    expect(sender.heldCount).toBe(0);
  });

  it('sends a held update before an edit that touches the same outputs, keeping the order', () => {
    const socket = fakeSocket();
    const sender = new TabSender(socket, { highWaterBytes: 100 });
    socket.buffered = 1_000;
    sender.send(outputs(a, 'late'));
    sender.send(outputs(b, 'other'));
    sender.send({ type: 'edit', edit: { type: 'set_source', id: a, source: 'x' }, source: 'ui' });
    sender.send({ type: 'edit', edit: { type: 'clear_outputs', ids: [a] }, source: 'kernel' });
    expect(describeSent(socket.sent)).toEqual(['set_source', 'set_outputs:cell-a:late', 'clear_outputs']);
    expect(sender.heldCount).toBe(1);
    const empty = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
    sender.send({ type: 'edit', edit: { type: 'replace_document', doc: empty }, source: 'system' });
    expect(describeSent(socket.sent).slice(-2)).toEqual(['set_outputs:cell-b:other', 'replace_document']);
  });

  it('sends a held update before the cell is shown finished', () => {
    const socket = fakeSocket();
    const sender = new TabSender(socket, { highWaterBytes: 100 });
    socket.buffered = 1_000;
    sender.send(outputs(a, 'final'));
    sender.send({ type: 'runtime', cell_id: a, runtime: { status: 'ok' } });
    expect(describeSent(socket.sent)).toEqual(['set_outputs:cell-a:final', 'runtime']);
  });

  it('disconnects a client whose buffer passes the hard limit', () => {
    const socket = fakeSocket();
    const sender = new TabSender(socket, { highWaterBytes: 100, hardLimitBytes: 500 });
    socket.buffered = 600;
    sender.send({ type: 'pong' });
    expect(socket.closed).toBe(TOO_SLOW);
    sender.send({ type: 'pong' });
    expect(socket.sent).toHaveLength(1);
  });

  it('serialises a message sent to several tabs once', () => {
    const [first, second] = [fakeSocket(), fakeSocket()];
    const tabs = [new TabSender(first), new TabSender(second)];
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const message: ServerMessage = { type: 'runtime', cell_id: a, runtime: { status: 'ok' } };
      for (const tab of tabs) tab.send(message);
      expect(stringify).toHaveBeenCalledTimes(1);
    } finally {
      stringify.mockRestore();
    }
    expect(first.sent).toEqual(['{"type":"runtime","cell_id":"cell-a","runtime":{"status":"ok"}}']);
    expect(second.sent).toEqual(first.sent);
  });
});

describe('holdWritesForTick', () => {
  it('corks the transport at the first write of a tick and uncorks it once, when the tick ends', async () => {
    const calls: string[] = [];
    const hold = holdWritesForTick({ cork: () => calls.push('cork'), uncork: () => calls.push('uncork') });
    hold();
    hold();
    hold();
    expect(calls).toEqual(['cork']);
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(calls).toEqual(['cork', 'uncork']);
    hold();
    expect(calls).toEqual(['cork', 'uncork', 'cork']);
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(calls).toEqual(['cork', 'uncork', 'cork', 'uncork']);
  });
});
