/**
 * The fake model server's legacy `POST /v1/completions`, the one OpenAI-compatible servers (Ollama, vLLM) offer
 * for fill-in-the-middle: `prompt` and `suffix` in, text out, streamed as SSE or as one JSON body. It plays its own
 * script (`FakeOpenAIOptions.completions`, `pushCompletion`): `message` (its `text`, after `delayMs`), `error`,
 * `hang` (nothing until the client goes away), `drop` (the connection cut).
 */
import type { ServerResponse } from 'node:http';
import type { Completion } from 'openai/resources/completions';
import { z } from 'zod';
import type { Reply } from './fake-script.ts';

/** What the fake checks of a completion request; other fields are kept as they came. */
export const completionRequestSchema = z.looseObject({
  model: z.string(),
  prompt: z.string(),
  suffix: z.string().nullable().optional(),
  max_tokens: z.number().nullable().optional(),
  stream: z.boolean().nullable().optional(),
});
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

/** A step of the completions script: a reply, or a function of the request. */
export type CompletionStep = Reply | ((request: CompletionRequest) => Reply);

export interface CompletionPlay {
  res: ServerResponse;
  request: CompletionRequest;
  step: CompletionStep | undefined;
  index: number;
  sendJSON(status: number, body: unknown, headers?: Record<string, string>): void;
  sendError(status: number, message: string, type: string, code: string | null, headers?: Record<string, string>): void;
}

const untilClosed = (res: ServerResponse) => new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));

function delay(ms: number, res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Answers one `POST /v1/completions` from its script step. */
export async function playCompletion(play: CompletionPlay): Promise<void> {
  const { res, request } = play;
  if (!play.step) {
    play.sendError(500, `fake server: the completions script has no step for request #${play.index}`, 'server_error', null);
    return;
  }
  const step = typeof play.step === 'function' ? play.step(request) : play.step;
  if (step.kind === 'error') {
    const headers = step.retryAfter === undefined ? undefined : { 'retry-after': String(step.retryAfter) };
    play.sendError(step.status, step.message, step.type ?? 'invalid_request_error', step.code ?? null, headers);
    return;
  }
  if (step.kind === 'hang') {
    if (request.stream) res.writeHead(200, { 'content-type': 'text/event-stream' });
    await untilClosed(res);
    return;
  }
  if (step.kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  if (step.delayMs) await delay(step.delayMs, res);
  if (res.destroyed) return;
  const id = `cmpl-fake${play.index}`;
  const created = Math.floor(Date.now() / 1000);
  const text = step.text ?? '';
  const finish = step.finishReason === 'length' ? 'length' : 'stop';
  const completion_tokens = Math.ceil(text.length / 4);
  const prompt_tokens = Math.ceil((request.prompt.length + (request.suffix ?? '').length) / 4);
  const usage = { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
  const body = (piece: string, finishReason: 'stop' | 'length' | null): Completion => ({
    id,
    object: 'text_completion',
    created,
    model: request.model,
    // The client's type says `finish_reason` is always set; streamed pieces before the last carry null.
    choices: [{ index: 0, text: piece, logprobs: null, finish_reason: finishReason as 'stop' }],
  });
  if (!request.stream) {
    play.sendJSON(200, { ...body(text, finish), usage });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const size = Math.max(1, Math.ceil(text.length / 3));
  for (let i = 0; i < text.length; i += size) res.write(`data: ${JSON.stringify(body(text.slice(i, i + size), null))}\n\n`);
  res.write(`data: ${JSON.stringify(body('', finish))}\n\n`);
  res.end('data: [DONE]\n\n');
}
