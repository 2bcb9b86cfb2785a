import { describe, expect, it } from 'vitest';
import type { ConversationEntry } from './agent.ts';
import { conversationFromMetadata, conversationsFromMetadata, conversationTitle, withConversation, withConversations } from './conversations.ts';
import type { JSONObject } from './notebook.ts';

const turn = (id: string, prompt: string): ConversationEntry[] => [
  { kind: 'user', turn: id, text: prompt },
  { kind: 'turn_end', turn: id, usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, cells_changed: [] },
];

describe('conversations in notebook metadata', () => {
  it('reads an old single conversation as the first one, and writes it back in the new shape', () => {
    const old: JSONObject = { cellmate: { other: 1, conversation: [...turn('t-1', 'Hi'), { kind: 'alien' }] } };
    const state = conversationsFromMetadata(old);
    expect(state).toEqual({ active: 'c-1', conversations: [{ id: 'c-1', title: '', entries: turn('t-1', 'Hi') }] });
    const written = withConversations(old, state);
    expect(written['cellmate']).toEqual({ other: 1, active_conversation: 'c-1', conversations: [{ id: 'c-1', title: '', entries: turn('t-1', 'Hi') }] });
    expect(conversationsFromMetadata(written)).toEqual(state);
  });

  it('skips what does not fit, and falls back to the newest conversation when the active one is unknown', () => {
    const metadata: JSONObject = {
      cellmate: {
        conversations: [{ id: 'c-a', title: 'A', entries: turn('t-1', 'a') }, { id: 'bad id' }, 7, { id: 'c-a', title: 'dup' }, { id: 'c-b', entries: [] }],
        active_conversation: 'c-gone',
      },
    };
    const state = conversationsFromMetadata(metadata);
    expect(state.conversations.map((c) => [c.id, c.title])).toEqual([
      ['c-a', 'A'],
      ['c-b', ''],
    ]);
    expect(state.active).toBe('c-b');
    expect(conversationFromMetadata(metadata)).toEqual([]);
    expect(conversationsFromMetadata({ cellmate: 'nope' })).toEqual({ conversations: [], active: null });
  });

  it('replaces the active conversation only, making one when there is none', () => {
    const first = withConversation({}, turn('t-1', 'one'));
    expect(conversationsFromMetadata(first).conversations).toHaveLength(1);
    const two = withConversations(first, { conversations: [...conversationsFromMetadata(first).conversations, { id: 'c-b', title: '', entries: [] }], active: 'c-b' });
    const updated = withConversation(two, turn('t-2', 'two'));
    expect(conversationsFromMetadata(updated).conversations.map((c) => c.entries.map((e) => e.turn)[0])).toEqual(['t-1', 't-2']);
  });

  it('titles a conversation by its name, else its first prompt', () => {
    expect(conversationTitle({ id: 'c-1', title: ' Sales ', entries: [] })).toBe('Sales');
    expect(conversationTitle({ id: 'c-1', title: '', entries: turn('t', `${'x'.repeat(70)}\nmore`) })).toBe(`${'x'.repeat(60)}…`);
    expect(conversationTitle({ id: 'c-1', title: '', entries: [] })).toBe('New conversation');
  });
});
