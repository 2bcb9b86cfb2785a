import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../server/protocol/agent.ts';
import { parseServerMessage, readServerFrame } from './server-message.ts';

const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
const doc = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 'x', cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }] };

describe('parseServerMessage', () => {
  it('accepts the messages of the protocol', () => {
    const snapshot = { type: 'snapshot', client_id: 'c1', path: 'a.ipynb', doc, runtime: { x: { status: 'ok' } }, kernel: { state: 'idle' } };
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
    // The same schemas as the server's: an edit the server itself would refuse is refused here too.
    expect(parseServerMessage('{"type":"edit","edit":{"type":"move_cell","id":"x","index":-1},"source":"ui"}')).toBeNull();
    expect(parseServerMessage('{"type":"edit","edit":{"type":"delete_cell","id":"not an id"},"source":"ui"}')).toBeNull();
  });

  it('accepts every kind of event the assistant sends, and refuses broken ones', () => {
    const events: AgentEvent[] = [
      { type: 'turn_start', turn: 't', model: 'm', prompt: 'p' },
      { type: 'text_delta', turn: 't', text: 'x' },
      { type: 'tool_call_delta', turn: 't', step: 1, index: 0, name: 'add_cell', arguments_delta: '{' },
      { type: 'tool_call', turn: 't', call_id: 'c', name: 'add_cell', args: 'not json' },
      { type: 'tool_result', turn: 't', call_id: 'c', name: 'add_cell', ok: false, summary: 's' },
      { type: 'usage', turn: 't', usage },
      { type: 'error', turn: 't', code: 'auth', message: 'no' },
      { type: 'done', turn: 't', reply: '', cells_changed: [], usage, stopped: true, stop_reason: 'aborted' },
    ];
    const agent = (event: unknown) => parseServerMessage(JSON.stringify({ type: 'agent', event }));
    for (const event of events) expect(agent(event)).toEqual({ type: 'agent', event });
    expect(agent({ type: 'text_delta', text: 'no turn' })).toBeNull();
    expect(agent({ type: 'usage', turn: 't', usage: { prompt_tokens: -1 } })).toBeNull();
    expect(agent({ type: 'self_destruct', turn: 't' })).toBeNull();
    const state = (agent: unknown) => parseServerMessage(JSON.stringify({ type: 'agent_state', agent }));
    expect(state({ undoable: ['t'], running: { turn: 't', events } })?.type).toBe('agent_state');
    expect(state({ undoable: 't' })).toBeNull();
  });

  it('fills in the agent state of a server without the assistant', () => {
    const snapshot = { type: 'snapshot', client_id: 'c', path: 'a.ipynb', doc, runtime: {}, kernel: { state: 'idle' } };
    expect(parseServerMessage(JSON.stringify(snapshot))).toMatchObject({ agent: { undoable: [] } });
    expect(parseServerMessage(JSON.stringify({ ...snapshot, agent: { undoable: 3 } }))).toBeNull();
  });
});

describe('readServerFrame', () => {
  const snapshot = { type: 'snapshot', client_id: 'c', path: 'a.ipynb', doc, runtime: {}, kernel: { state: 'idle' } };
  const withCells = (cells: unknown[]) => JSON.stringify({ ...snapshot, doc: { ...doc, cells } });

  it('reads the other messages as parseServerMessage does, with nothing left to check', () => {
    const frame = readServerFrame('{"type":"runtime","cell_id":"x","runtime":{"status":"running"}}');
    expect(frame?.message.type).toBe('runtime');
    expect(frame?.checkLater).toBeUndefined();
    expect(readServerFrame('{"type":"edit","edit":{"type":"delete_cell"},"origin":{"seq":"1"}}')).toBeNull();
    expect(readServerFrame('not json')).toBeNull();
  });

  it("passes a snapshot's cells on by shape, and the schema's check later finds nothing wrong", () => {
    const frame = readServerFrame(JSON.stringify(snapshot));
    expect(frame?.message).toMatchObject({ type: 'snapshot', agent: { undoable: [] }, doc: { cells: [{ id: 'x', cell_type: 'code' }] } });
    expect(frame?.checkLater?.()).toBeNull();
  });

  it('refuses a snapshot whose cells are not even shaped like cells, or whose envelope is wrong', () => {
    expect(readServerFrame(withCells([{}]))).toBeNull();
    expect(readServerFrame(withCells([{ id: 'not an id', cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }]))).toBeNull();
    expect(readServerFrame(withCells([{ id: 'x', cell_type: 'code', source: '', metadata: {}, outputs: [{ output_type: 'nope' }], execution_count: null }]))).toBeNull();
    expect(readServerFrame(withCells([{ id: 'x', cell_type: 'markdown', source: ['a'], metadata: {} }]))).toBeNull();
    expect(readServerFrame(JSON.stringify({ ...snapshot, kernel: { state: 'sleepy' } }))).toBeNull();
    expect(readServerFrame(JSON.stringify({ ...snapshot, doc: { ...doc, nbformat: 'four' } }))).toBeNull();
  });

  it('says what is wrong when the later check finds a cell the shape let through', () => {
    const broken = { id: 'x', cell_type: 'code', source: '', metadata: {}, outputs: [{ output_type: 'stream', name: 'stdout' }], execution_count: null };
    const frame = readServerFrame(withCells([broken]));
    expect(frame?.message.type).toBe('snapshot');
    expect(frame?.checkLater?.()).toMatch(/doc\.cells\[0\]\.outputs\[0\]\.text/);
    expect(parseServerMessage(withCells([broken]))).toBeNull();
  });
});
