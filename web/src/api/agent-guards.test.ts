import { describe, expect, it } from 'vitest';
import { conversationFromMetadata, type AgentEvent } from '../../../server/protocol/agent.ts';
import type { JSONValue } from '../../../server/protocol/notebook.ts';
import { conversationEntries, isAgentEvent, isAgentState } from './agent-guards.ts';
import { isAgentStatus } from './agent.ts';
import { parseServerMessage } from './server-message.ts';

const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };

describe('agent guards', () => {
  it('accept every kind of event the server sends', () => {
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
    expect(events.filter(isAgentEvent)).toHaveLength(events.length);
    expect(isAgentEvent({ type: 'text_delta', text: 'no turn' })).toBe(false);
    expect(isAgentEvent({ type: 'usage', turn: 't', usage: { prompt_tokens: -1 } })).toBe(false);
    expect(isAgentEvent({ type: 'self_destruct', turn: 't' })).toBe(false);
    expect(isAgentState({ undoable: ['t'], running: { turn: 't', events } })).toBe(true);
    expect(isAgentState({ undoable: 't' })).toBe(false);
  });

  it('read the saved conversation as the protocol does', () => {
    const list: JSONValue[] = [
      { kind: 'user', turn: 't1', text: 'hi', at: '2025-01-01' },
      { kind: 'assistant', turn: 't1', text: 'hello', model: 'm' },
      { kind: 'tool', turn: 't1', name: 'run_cell', args: 'id="a"', ok: true, summary: 'ran' },
      { kind: 'turn_end', turn: 't1', usage, cells_changed: ['a'], stop_reason: 'timeout', error: 'slow' },
      { kind: 'turn_end', turn: 't1', usage, cells_changed: ['a'], stop_reason: 'bored' },
      { kind: 'user', turn: 't2' },
      { kind: 'robot', turn: 't2', text: 'x' },
      'nonsense',
      null,
    ];
    const metadata = { cellmate: { conversation: list } };
    expect(conversationEntries(metadata)).toEqual(conversationFromMetadata(metadata));
    expect(conversationEntries(metadata)).toHaveLength(4);
    expect(conversationEntries({ cellmate: { conversation: 'x' } })).toEqual([]);
  });

  it('fill in the agent state of a server without the assistant', () => {
    const snapshot = { type: 'snapshot', client_id: 'c', path: 'a.ipynb', doc: { cells: [] }, runtime: {}, kernel: { state: 'idle' } };
    expect(parseServerMessage(JSON.stringify(snapshot))).toMatchObject({ agent: { undoable: [] } });
    expect(parseServerMessage(JSON.stringify({ type: 'agent', event: { type: 'text_delta', turn: 't', text: 'x' } }))?.type).toBe('agent');
    expect(parseServerMessage(JSON.stringify({ ...snapshot, agent: { undoable: 3 } }))).toBeNull();
  });

  it('check the provider status', () => {
    const status = { configured: false, base_url: null, model: null, has_api_key: false, vision: false, help: 'Set OPENAI_API_KEY' };
    expect(isAgentStatus({ ...status, detected: [{ name: 'Ollama', base_url: 'http://127.0.0.1:11434/v1', models: ['llama3.1'] }] })).toBe(true);
    expect(isAgentStatus({ ...status, help: undefined })).toBe(false);
  });
});
