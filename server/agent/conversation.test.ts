import { describe, expect, it } from 'vitest';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { conversationFromMetadata, withConversation, type ConversationEntry, type JSONObject } from '../protocol/index.ts';
import { compactConversation, historyMessages, summariseArgs, trimMessagesForRetry } from './conversation.ts';
import { systemPrompt } from './prompt.ts';

const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
function turn(id: string, prompt: string, answer: string): ConversationEntry[] {
  return [
    { kind: 'user', turn: id, text: prompt },
    { kind: 'tool', turn: id, name: 'add_cell', args: 'source="df.head()"', ok: true, summary: 'added cell c1' },
    { kind: 'tool', turn: id, name: 'run_cell', args: 'id="c1"', ok: false, summary: 'cell c1: KeyError: x' },
    { kind: 'assistant', turn: id, text: answer, model: 'm' },
    { kind: 'turn_end', turn: id, usage, cells_changed: ['c1'] },
  ];
}

describe('history messages', () => {
  it('replays each turn as a user message and an assistant message with its tool lines', () => {
    expect(historyMessages(turn('t1', 'Load the data', 'Loaded.'), 10_000)).toEqual([
      { role: 'user', content: 'Load the data' },
      { role: 'assistant', content: '[tool add_cell(source="df.head()") → added cell c1]\n[tool run_cell(id="c1") → failed: cell c1: KeyError: x]\nLoaded.' },
    ]);
  });

  it('keeps the newest turns within the budget, dropping whole old turns', () => {
    const history = [...turn('t1', 'first '.repeat(100), 'a1'), ...turn('t2', 'second', 'a2'), ...turn('t3', 'third', 'a3')];
    const messages = historyMessages(history, 400);
    expect(messages.map((m) => m.content)).toEqual(['second', expect.stringContaining('a2'), 'third', expect.stringContaining('a3')]);
    const huge = historyMessages(turn('t9', 'x'.repeat(10_000), 'y'.repeat(10_000)), 1_000);
    expect(huge).toHaveLength(2);
    expect(JSON.stringify(huge).length).toBeLessThan(1_400);
    expect(historyMessages([], 1000)).toEqual([]);
  });

  it('says when a turn stopped early', () => {
    const stopped: ConversationEntry[] = [
      { kind: 'user', turn: 't', text: 'go' },
      { kind: 'turn_end', turn: 't', usage, cells_changed: [], stop_reason: 'error', error: 'The API key was rejected' },
    ];
    expect(historyMessages(stopped, 1000)[1]).toEqual({ role: 'assistant', content: '[this turn stopped early: The API key was rejected]' });
  });
});

describe('the stored conversation', () => {
  it('summarises tool arguments compactly', () => {
    expect(summariseArgs({ source: 'import pandas as pd\ndf = pd.read_csv("a.csv")', cell_type: 'code', after_cell_id: null })).toBe(
      'source="import pandas as pd (+1 lines)", cell_type="code"',
    );
    expect(summariseArgs('{broken')).toBe('"{broken"');
  });

  it('compacts to the newest whole turns', () => {
    const history = [...turn('t1', 'a', 'b'), ...turn('t2', 'c', 'd')];
    const one = JSON.stringify(turn('t2', 'c', 'd')).length;
    expect(compactConversation(history, one + 50).map((e) => e.turn)).toEqual(['t2', 't2', 't2', 't2', 't2']);
    expect(compactConversation(history)).toEqual(history);
  });

  it('round-trips through notebook metadata, keeping other keys and skipping bad entries', () => {
    const entries = turn('t1', 'a', 'b');
    const metadata = withConversation({ kernelspec: { name: 'python3' }, cellmate: { other: 1 } }, entries);
    expect(metadata).toMatchObject({ kernelspec: { name: 'python3' }, cellmate: { other: 1 } });
    expect(conversationFromMetadata(metadata)).toEqual(entries);
    const messy: JSONObject = { cellmate: { conversation: [{ kind: 'user', turn: 't', text: 'ok' }, { kind: 'alien' }, 42] } };
    expect(conversationFromMetadata(messy)).toEqual([{ kind: 'user', turn: 't', text: 'ok' }]);
    expect(conversationFromMetadata({ cellmate: 'nope' })).toEqual([]);
  });
});

describe('retry after a context-length error', () => {
  it('drops history, cuts tool results and removes images', () => {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'old' },
      { role: 'assistant', content: 'old answer' },
      { role: 'user', content: 'now' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'run_cell', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c', content: 'x'.repeat(10_000) },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
    ];
    const trimmed = trimMessagesForRetry(messages, 2);
    expect(trimmed.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(String(trimmed[3]!.content).length).toBeLessThanOrEqual(1500);
  });
});

describe('system prompt', () => {
  it('teaches the working habits and states the bounds', () => {
    const prompt = systemPrompt({ notebookPath: 'sales.ipynb', vision: false, cellTimeoutMs: 120_000, maxSteps: 20 });
    for (const phrase of ['small steps', 'edit_cell', 'variables persist', 'altair', 'inspect_variables', '2 min', 'at most 20 steps', 'cannot see images', 'plain sentences']) {
      expect(prompt).toContain(phrase);
    }
  });
});
