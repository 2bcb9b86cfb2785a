/** The fake model server speaks the wire format the real client expects (checked on the raw bytes too). */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function rawStream(body: Record<string, unknown>): Promise<{ status: number; type: string | null; events: string[] }> {
  const response = await fetch(`${server!.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
  const text = await response.text();
  const events = text.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
  return { status: response.status, type: response.headers.get('content-type'), events };
}

describe('fake OpenAI server', () => {
  it('streams SSE chunks: role, text pieces, tool call pieces, finish, usage, [DONE]', async () => {
    server = await startFakeOpenAI({ script: [reply.textAndTools('Hello there', { id: 'call_1', name: 'run_cell', arguments: { id: 'abc123' } })] });
    const { status, type, events } = await rawStream({ stream: true, stream_options: { include_usage: true } });
    expect(status).toBe(200);
    expect(type).toBe('text/event-stream');
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as OpenAI.ChatCompletionChunk);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0]!.id)).toBe(true);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    const text = chunks.flatMap((c) => (c.choices[0]?.delta.content ? [c.choices[0].delta.content] : []));
    expect(text.length).toBeGreaterThan(2);
    expect(text.join('')).toBe('Hello there');
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toEqual({ index: 0, id: 'call_1', type: 'function', function: { name: 'run_cell', arguments: '' } });
    expect(calls.length).toBeGreaterThan(3);
    expect(calls.slice(1).map((c) => c.function?.arguments).join('')).toBe('{"id":"abc123"}');
    const finish = chunks.at(-2)!;
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number), completion_tokens: 7 } });
  });

  it('leaves out the usage chunk unless asked, and says stop for text', async () => {
    server = await startFakeOpenAI({ script: [reply.text('Hi')] });
    const { events } = await rawStream({ stream: true });
    const last = JSON.parse(events.at(-2)!) as OpenAI.ChatCompletionChunk;
    expect(last.choices[0]!.finish_reason).toBe('stop');
    expect(events.some((e) => e.includes('"usage":{'))).toBe(false);
  });

  it('answers without streaming, lists models, and records what it received', async () => {
    server = await startFakeOpenAI({ models: ['b-model', 'fake-model'], script: [reply.tools({ name: 'list_files', arguments: {} })] });
    const client = new OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'files?' }] });
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [{ function: { name: 'list_files', arguments: '{}' } }] } });
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(['b-model', 'fake-model']);
    expect(server.chatRequests).toEqual([expect.objectContaining({ model: 'fake-model', messages: [{ role: 'user', content: 'files?' }] })]);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/chat/completions', 'GET /v1/models']);
    expect(server.requests[0]!.headers['authorization']).toBe('Bearer k');
  });

  it('plays errors in OpenAI’s format, and fails loudly when the script runs out', async () => {
    server = await startFakeOpenAI({ script: [reply.rateLimited(7)] });
    const first = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }] }) });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await first.json()).toEqual({ error: { message: 'Rate limit reached for requests.', type: 'requests', param: null, code: 'rate_limit_exceeded' } });
    const second = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }] }) });
    expect(second.status).toBe(500);
    expect(JSON.stringify(await second.json())).toContain('the script has no step for chat request #2');
  });

  it.each(['reset', 'end', 'mid-event'] as const)('cuts a stream in the middle of a tool call’s arguments (%s)', async (cut) => {
    const call = { id: 'call_1', name: 'add_cell', arguments: { source: 'print("a long enough line")', cell_type: 'code', after_cell_id: null } };
    const full = JSON.stringify(call.arguments);
    server = await startFakeOpenAI({ script: [reply.cutInToolCalls([call], { cut })] });
    const response = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }], stream: true }),
    });
    // Read what arrives until the connection ends, cleanly or not.
    let raw = '';
    let broke = false;
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) raw += decoder.decode(read.value, { stream: true });
    } catch {
      broke = true;
    }
    expect(broke).toBe(cut !== 'end');
    const events = raw.split('\n\n');
    const partial = events.pop()!;
    expect(partial === '').toBe(cut !== 'mid-event');
    const chunks = events.map((e) => JSON.parse(e.replace(/^data: /, '')) as OpenAI.ChatCompletionChunk);
    const args = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t) => t.function?.arguments ?? '').join('');
    expect(args).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
    expect(raw).not.toContain('[DONE]');
  });

  it('closes promptly with a reply still hanging', async () => {
    server = await startFakeOpenAI({ script: [reply.hang('wait')] });
    const client = new OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }], stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await server.close();
    server = undefined;
    await expect((async () => {
      for (let r = await iterator.next(); !r.done; r = await iterator.next());
    })()).rejects.toThrow();
  });
});
