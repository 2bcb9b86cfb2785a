/** The fake model server's `POST /v1/completions` (fill in the middle), through the real `openai` client. */
import OpenAI from 'openai';
import { afterEach, expect, it } from 'vitest';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('answers a completion with prompt and suffix, as one body or streamed, and records the request', async () => {
  server = await startFakeOpenAI({ completions: [reply.text('math.pi * r ** 2'), reply.text('range(10)')] });
  const client = new OpenAI({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0 });
  const whole = await client.completions.create({ model: 'fake-model', prompt: 'return ', suffix: '\n', max_tokens: 16 });
  expect(whole.choices[0]?.text).toBe('math.pi * r ** 2');
  expect(whole.usage?.completion_tokens).toBeGreaterThan(0);

  const stream = await client.completions.create({ model: 'fake-model', prompt: 'for i in ', suffix: ':', stream: true });
  const pieces: string[] = [];
  for await (const chunk of stream) pieces.push(chunk.choices[0]?.text ?? '');
  expect(pieces.filter(Boolean).length).toBeGreaterThan(1);
  expect(pieces.join('')).toBe('range(10)');
  expect(server.completionRequests.map((r) => [r.prompt, r.suffix, r.stream ?? false])).toEqual([
    ['return ', '\n', false],
    ['for i in ', ':', true],
  ]);
  expect(server.chatRequests).toHaveLength(0);
});

it('refuses an unknown model and a request the script has no step for', async () => {
  server = await startFakeOpenAI();
  const client = new OpenAI({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0 });
  await expect(client.completions.create({ model: 'nope', prompt: 'x' })).rejects.toMatchObject({ status: 404 });
  await expect(client.completions.create({ model: 'fake-model', prompt: 'x' })).rejects.toMatchObject({ status: 500 });
});
