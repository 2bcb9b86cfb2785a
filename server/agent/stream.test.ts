import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { abortable, MessageAccumulator, TurnAborted } from './stream.ts';

function chunk(delta: ChatCompletionChunk.Choice.Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk {
  return { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] };
}

describe('MessageAccumulator', () => {
  it('joins text and tool-call pieces, reporting each piece', () => {
    const pieces: string[] = [];
    const acc = new MessageAccumulator(1, {
      onText: (t) => pieces.push(`text:${t}`),
      onToolCallDelta: (i, name, args) => pieces.push(`call${i}:${name ?? ''}:${args}`),
    });
    acc.add(chunk({ role: 'assistant', content: '' }));
    acc.add(chunk({ content: 'Hi ' }));
    acc.add(chunk({ content: 'there' }));
    acc.add(chunk({ tool_calls: [{ index: 0, id: 'call_x', type: 'function', function: { name: 'run_cell', arguments: '' } }] }));
    acc.add(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"id":' } }] }));
    acc.add(chunk({ tool_calls: [{ index: 0, function: { arguments: '"a1"}' } }] }));
    acc.add(chunk({}, 'tool_calls'));
    acc.add({ ...chunk({}), choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } });
    expect(acc.result()).toEqual({
      text: 'Hi there',
      toolCalls: [{ id: 'call_x', name: 'run_cell', arguments: '{"id":"a1"}' }],
      finishReason: 'tool_calls',
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
    expect(pieces).toEqual(['text:Hi ', 'text:there', 'call0:run_cell:', 'call0::{"id":', 'call0::"a1"}']);
  });

  it('accepts servers that send whole calls without ids or indexes, and "stop" after tool calls', () => {
    const acc = new MessageAccumulator(3, {});
    // An Ollama-style chunk: two complete calls at once, no ids; `index` is absent at runtime.
    const loose = [{ function: { name: 'add_cell', arguments: '{}' } }, { function: { name: 'run_cell', arguments: '{"id":"x"}' } }];
    acc.add(chunk({ tool_calls: loose as ChatCompletionChunk.Choice.Delta['tool_calls'] }));
    acc.add(chunk({}, 'stop'));
    expect(acc.result().toolCalls).toEqual([
      { id: 'call_3_0', name: 'add_cell', arguments: '{}' },
      { id: 'call_3_1', name: 'run_cell', arguments: '{"id":"x"}' },
    ]);
  });
});

describe('abortable', () => {
  it('rejects at once on abort, and passes results through otherwise', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => undefined);
    const pending = abortable(never, controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(TurnAborted);
    await expect(abortable(Promise.resolve(4), new AbortController().signal)).resolves.toBe(4);
    await expect(abortable(Promise.reject(new Error('x')), controller.signal)).rejects.toBeInstanceOf(TurnAborted);
  });
});
