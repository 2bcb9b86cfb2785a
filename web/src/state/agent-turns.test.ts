import { describe, expect, it } from 'vitest';
import type { AgentEvent, ConversationEntry } from '../../../server/protocol/agent.ts';
import { CellId } from '../../../server/protocol/ids.ts';
import { foldAgentEvent, replyText, turnsFromConversation, type TurnView } from './agent-turns.ts';

const T = 't1';
const A = CellId.from('cell-a');
const usage = (prompt: number, completion: number) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });
const fold = (events: AgentEvent[]) => events.reduce<TurnView | undefined>(foldAgentEvent, undefined)!;

/** The events of scenario 1 (add, run, answer), as the server sends them. */
const story: AgentEvent[] = [
  { type: 'turn_start', turn: T, model: 'fake-model', prompt: 'Add 1 + 2' },
  { type: 'text_delta', turn: T, text: 'I will ' },
  { type: 'text_delta', turn: T, text: 'add it.' },
  { type: 'tool_call_delta', turn: T, step: 1, index: 0, name: 'add_cell', arguments_delta: '{"source":' },
  { type: 'tool_call_delta', turn: T, step: 1, index: 0, arguments_delta: '"1 + 2"}' },
  { type: 'usage', turn: T, usage: usage(100, 10) },
  { type: 'tool_call', turn: T, call_id: 'call_1', name: 'add_cell', args: { source: '1 + 2' } },
  { type: 'cell_changed', turn: T, cell_id: A, change: 'added' },
  { type: 'tool_result', turn: T, call_id: 'call_1', name: 'add_cell', ok: true, summary: 'added cell cell-a' },
  { type: 'tool_call', turn: T, call_id: 'call_2', name: 'run_cell', args: { id: 'cell-a' } },
  { type: 'cell_changed', turn: T, cell_id: A, change: 'ran' },
  { type: 'tool_result', turn: T, call_id: 'call_2', name: 'run_cell', ok: false, summary: 'cell cell-a: NameError' },
  { type: 'usage', turn: T, usage: usage(250, 20) },
  { type: 'text_delta', turn: T, text: 'It is 3.' },
];

describe('foldAgentEvent', () => {
  it('builds the turn as it happens: text concatenated, calls paired with their arguments and results, usage replaced', () => {
    const turn = fold(story);
    expect(turn).toMatchObject({ id: T, prompt: 'Add 1 + 2', model: 'fake-model', state: 'running', usage: usage(250, 20), cellsChanged: [A] });
    expect(turn.items.map((item) => (item.kind === 'text' ? item.text : `${item.name}:${item.status}:${item.cellId}:${item.summary}`))).toEqual([
      'I will add it.',
      'add_cell:ok:cell-a:added cell cell-a',
      'run_cell:error:cell-a:cell cell-a: NameError',
      'It is 3.',
    ]);
    // The streamed arguments became the call (one row, not two).
    expect(turn.items[1]).toMatchObject({ key: 'd1:0', callId: 'call_1', args: { source: '1 + 2' } });
  });

  it('shows a call while the model writes it', () => {
    const turn = fold(story.slice(0, 5));
    expect(turn.items.at(-1)).toMatchObject({ kind: 'step', name: 'add_cell', status: 'writing', argsText: '{"source":"1 + 2"}' });
  });

  it('pairs parallel calls in order and results by call id, whatever their order', () => {
    const turn = fold([
      { type: 'tool_call_delta', turn: T, step: 1, index: 0, name: 'add_cell', arguments_delta: '{}' },
      { type: 'tool_call_delta', turn: T, step: 1, index: 1, name: 'add_cell', arguments_delta: '{}' },
      { type: 'tool_call', turn: T, call_id: 'a', name: 'add_cell', args: {} },
      { type: 'tool_call', turn: T, call_id: 'b', name: 'add_cell', args: {} },
      { type: 'tool_result', turn: T, call_id: 'b', name: 'add_cell', ok: false, summary: 'B' },
      { type: 'tool_result', turn: T, call_id: 'a', name: 'add_cell', ok: true, summary: 'A' },
    ]);
    expect(turn.items.map((item) => item.kind === 'step' && `${item.key}=${item.callId}:${item.summary}`)).toEqual(['d1:0=a:A', 'd1:1=b:B']);
  });

  it('closes the turn on done: unfinished steps are cancelled, later events change nothing', () => {
    const done = fold([
      ...story.slice(0, 10),
      { type: 'done', turn: T, reply: 'I will add it.', cells_changed: [A], usage: usage(300, 30), stopped: true, stop_reason: 'aborted' },
      { type: 'text_delta', turn: T, text: 'late' },
    ]);
    expect(done).toMatchObject({ state: 'stopped', stopReason: 'aborted', usage: usage(300, 30) });
    expect(done.items.at(-1)).toMatchObject({ name: 'run_cell', status: 'cancelled' });
    expect(replyText(done)).toBe('I will add it.');
  });

  it('ends in error after an error event, and completes normally otherwise', () => {
    const failed = fold([
      { type: 'turn_start', turn: T, model: 'm', prompt: 'p' },
      { type: 'error', turn: T, code: 'auth', message: 'The API key was refused.' },
      { type: 'done', turn: T, reply: '', cells_changed: [], usage: usage(0, 0), stopped: true, stop_reason: 'error' },
    ]);
    expect(failed).toMatchObject({ state: 'error', error: { code: 'auth', message: 'The API key was refused.' } });
    const ok = fold([...story, { type: 'done', turn: T, reply: 'I will add it.\n\nIt is 3.', cells_changed: [A], usage: usage(250, 20) }]);
    expect(ok.state).toBe('done');
    expect(replyText(ok)).toBe('I will add it.\n\nIt is 3.');
  });

  it('shows the reply of a done it only heard the end of', () => {
    const turn = fold([{ type: 'done', turn: T, reply: 'Hello.', cells_changed: [], usage: usage(1, 1) }]);
    expect(turn).toMatchObject({ id: T, state: 'done' });
    expect(replyText(turn)).toBe('Hello.');
  });
});

describe('turnsFromConversation', () => {
  const entries: ConversationEntry[] = [
    { kind: 'user', turn: 't1', text: 'Add 1 + 2', at: '2025-01-01T00:00:00Z' },
    { kind: 'assistant', turn: 't1', text: 'I will add it.', model: 'fake-model' },
    { kind: 'tool', turn: 't1', name: 'add_cell', args: 'source="1 + 2", cell_type="code"', ok: true, summary: 'added cell cell-a' },
    { kind: 'tool', turn: 't1', name: 'run_cell', args: 'id="cell-a"', ok: false, summary: 'cell cell-a: NameError' },
    { kind: 'assistant', turn: 't1', text: 'It is 3.', model: 'fake-model' },
    { kind: 'turn_end', turn: 't1', usage: usage(250, 20), cells_changed: ['cell-a'] },
    { kind: 'user', turn: 't2', text: 'Again' },
    { kind: 'turn_end', turn: 't2', usage: usage(5, 0), cells_changed: [], stop_reason: 'error', error: 'The model was not found.' },
    { kind: 'user', turn: 't3', text: 'Cut short' },
  ];

  it('reads like the live turn', () => {
    const [first, second, third] = turnsFromConversation(entries);
    const live = fold([...story, { type: 'done', turn: T, reply: '', cells_changed: [A], usage: usage(250, 20) }]);
    expect(first).toMatchObject({ id: 't1', prompt: live.prompt, model: live.model, state: live.state, usage: live.usage, cellsChanged: live.cellsChanged });
    expect(first!.items.map((item) => (item.kind === 'text' ? item.text : `${item.name}:${item.status}`))).toEqual(
      live.items.map((item) => (item.kind === 'text' ? item.text : `${item.name}:${item.status}`)),
    );
    expect(second).toMatchObject({ state: 'error', error: { code: null, message: 'The model was not found.' } });
    expect(third).toMatchObject({ prompt: 'Cut short', state: 'stopped' });
  });
});
