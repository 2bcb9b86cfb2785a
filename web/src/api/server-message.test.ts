import { describe, expect, it } from 'vitest';
import { parseServerMessage } from './server-message.ts';

describe('parseServerMessage', () => {
  it('accepts the messages of the protocol', () => {
    const snapshot = {
      type: 'snapshot',
      client_id: 'c1',
      path: 'a.ipynb',
      doc: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 'x', cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }] },
      runtime: { x: { status: 'ok' } },
      kernel: { state: 'idle' },
    };
    expect(parseServerMessage(JSON.stringify(snapshot))?.type).toBe('snapshot');
    expect(parseServerMessage('{"type":"edit","edit":{"type":"delete_cell","id":"x"},"source":"ui","origin":{"client_id":"c","seq":3}}')?.type).toBe('edit');
    expect(parseServerMessage('{"type":"runtime","cell_id":"x","runtime":{"status":"running"}}')?.type).toBe('runtime');
    expect(parseServerMessage('{"type":"pong"}')?.type).toBe('pong');
    const waiting = { type: 'runtime', cell_id: 'x', runtime: { status: 'running', input: { prompt: 'Name? ', password: false } } };
    expect(parseServerMessage(JSON.stringify(waiting))?.type).toBe('runtime');
  });

  it('refuses what it does not understand', () => {
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage('{"type":"launch_missiles"}')).toBeNull();
    expect(parseServerMessage('{"type":"edit","edit":{"type":"delete_cell"},"origin":{"seq":"1"}}')).toBeNull();
    expect(parseServerMessage('{"type":"snapshot","client_id":"c","path":"p","doc":{"cells":[{}]},"runtime":{},"kernel":{"state":"idle"}}')).toBeNull();
    expect(parseServerMessage(new ArrayBuffer(2))).toBeNull();
    expect(parseServerMessage('{"type":"runtime","cell_id":"x","runtime":{"status":"running","input":{"prompt":3}}}')).toBeNull();
  });
});
