import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { describeProviderError, isContextLengthError, redactSecrets, StreamDropped } from './provider-errors.ts';

const context = { model: 'm1', baseURL: 'http://127.0.0.1:1/v1', maxRetries: 2 };
const apiError = (status: number, message: string, code: string | null = null) =>
  OpenAI.APIError.generate(status, { error: { message, type: 'x', code } }, undefined, new Headers());

describe('describeProviderError', () => {
  it('gives each failure a code and a sentence', () => {
    expect(describeProviderError(apiError(401, 'Incorrect API key provided: sk-abc*****xyz1'), context)).toEqual({
      code: 'auth',
      message: 'The API key was rejected by http://127.0.0.1:1/v1 (401). Check OPENAI_API_KEY.',
    });
    expect(describeProviderError(apiError(404, 'no', 'model_not_found'), context).message).toMatch(/^Model "m1" was not found at http:\/\/127\.0\.0\.1:1\/v1/);
    expect(describeProviderError(apiError(429, 'slow down'), context).message).toContain('still after 2 retries');
    expect(describeProviderError(apiError(429, 'You exceeded your quota', 'insufficient_quota'), context).message).toContain('no quota left');
    expect(describeProviderError(apiError(502, 'Bad gateway'), context)).toMatchObject({ code: 'server_error', message: expect.stringContaining('HTTP 502') });
    expect(describeProviderError(apiError(400, 'tools are not supported'), context)).toEqual({ code: 'bad_request', message: 'The provider rejected the request (400): tools are not supported' });
    expect(describeProviderError(new StreamDropped(), context).code).toBe('stream_dropped');
    expect(describeProviderError(new OpenAI.APIConnectionError({ cause: new Error('connect ECONNREFUSED') }), context)).toEqual({
      code: 'connection',
      message: 'Could not reach http://127.0.0.1:1/v1: connect ECONNREFUSED. Is the server running and the base URL right?',
    });
    expect(describeProviderError(new OpenAI.APIConnectionTimeoutError(), context).code).toBe('timeout');
  });

  it('recognises context-length errors in several wordings', () => {
    expect(isContextLengthError(apiError(400, 'x', 'context_length_exceeded'))).toBe(true);
    expect(isContextLengthError(apiError(400, "This model's maximum context length is 4096 tokens"))).toBe(true);
    expect(isContextLengthError(apiError(400, 'the prompt is too long: exceeds context window'))).toBe(true);
    expect(isContextLengthError(apiError(400, 'bad tool schema'))).toBe(false);
    expect(describeProviderError(apiError(400, 'x', 'context_length_exceeded'), context).code).toBe('context_length');
  });

  it('never repeats a key', () => {
    expect(redactSecrets('key sk-proj-abcdefghijkl and my-own-key-value-1', 'my-own-key-value-1')).toBe('key [redacted] and [redacted]');
    const message = describeProviderError(apiError(403, 'key sk-live-1234567890 may not use m1'), { ...context, apiKey: 'sk-live-1234567890' }).message;
    expect(message).not.toContain('1234567890');
  });

  it('tells nothing apart at an endpoint chosen at runtime, but a cut stream and a too-long conversation', () => {
    const chosen = { ...context, isChosenAtRuntime: true };
    const failures = [
      new OpenAI.APIConnectionError({ cause: new Error('connect ECONNREFUSED 127.0.0.1:1') }),
      new OpenAI.APIConnectionTimeoutError(),
      apiError(404, 'Not Found'),
      apiError(405, 'Method Not Allowed'),
      apiError(401, 'Unauthorized'),
      apiError(500, 'Internal Server Error'),
      new SyntaxError('Unexpected token < in JSON at position 0'),
    ];
    const answers = failures.map((error) => describeProviderError(error, chosen));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]).toEqual({
      code: 'connection',
      message: 'Could not reach http://127.0.0.1:1/v1 as an OpenAI-compatible model server. Check that it runs there and that the base URL is right (it usually ends in /v1).',
    });
    expect(describeProviderError(new StreamDropped(), chosen).code).toBe('stream_dropped');
    expect(describeProviderError(apiError(400, 'x', 'context_length_exceeded'), chosen).code).toBe('context_length');
  });
});

