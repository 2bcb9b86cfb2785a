import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../protocol/index.ts';
import { keepEvent, MAX_KEPT_EVENTS } from './agent-events.ts';

const usage = (total: number): AgentEvent => ({ type: 'usage', turn: 't', usage: { prompt_tokens: total, completion_tokens: 0, total_tokens: total } });

describe('the running turn’s kept events', () => {
  it('merges text and argument pieces, and keeps the latest usage only', () => {
    const events: AgentEvent[] = [];
    const stream: AgentEvent[] = [
      { type: 'turn_start', turn: 't', model: 'm', prompt: 'p' },
      { type: 'text_delta', turn: 't', text: 'Hel' },
      { type: 'text_delta', turn: 't', text: 'lo' },
      { type: 'tool_call_delta', turn: 't', step: 1, index: 0, name: 'add_cell', arguments_delta: '{"so' },
      { type: 'tool_call_delta', turn: 't', step: 1, index: 0, arguments_delta: 'urce"}' },
      { type: 'tool_call_delta', turn: 't', step: 1, index: 1, name: 'run_cell', arguments_delta: '{}' },
      usage(10),
      { type: 'tool_call', turn: 't', call_id: 'c', name: 'add_cell', args: { source: '' } },
      usage(20),
    ];
    for (const event of stream) keepEvent(events, event);
    expect(events).toEqual([
      stream[0],
      { type: 'text_delta', turn: 't', text: 'Hello' },
      { type: 'tool_call_delta', turn: 't', step: 1, index: 0, name: 'add_cell', arguments_delta: '{"source"}' },
      stream[5],
      stream[7],
      usage(20),
    ]);
    // The events already sent were not changed in place.
    expect(stream[1]).toEqual({ type: 'text_delta', turn: 't', text: 'Hel' });
  });

  it('drops argument pieces first when a turn grows past the guard', () => {
    const events: AgentEvent[] = [];
    for (let i = 0; i < MAX_KEPT_EVENTS; i++) {
      keepEvent(events, { type: 'tool_call_delta', turn: 't', step: i, index: 0, name: 'read_notebook', arguments_delta: '{}' });
      keepEvent(events, { type: 'tool_call', turn: 't', call_id: `c${i}`, name: 'read_notebook', args: {} });
    }
    expect(events).toHaveLength(MAX_KEPT_EVENTS);
    expect(events.every((e) => e.type === 'tool_call')).toBe(true);
  });
});
