/**
 * Provider failures in words a person can act on. The `openai` client has already retried what is worth
 * retrying (429, 5xx, connection failures) by the time an error reaches here.
 */
import OpenAI from 'openai';
import type { AgentErrorCode } from '../protocol/index.ts';

export interface ProviderErrorInfo {
  code: AgentErrorCode;
  message: string;
}

/** The stream ended, or its connection broke, before the model finished its message. */
export class StreamDropped extends Error {
  constructor(cause?: unknown) {
    super('the stream ended before the model finished', cause === undefined ? undefined : { cause });
    this.name = 'StreamDropped';
  }
}

/** True for a 400 that says the messages exceed the model's context window (OpenAI, vLLM, Ollama wordings). */
export function isContextLengthError(error: unknown): boolean {
  if (!(error instanceof OpenAI.APIError) || (error.status !== 400 && error.status !== 413)) return false;
  return error.code === 'context_length_exceeded' || /context (length|window)|maximum context|too many tokens|prompt is too long/i.test(error.message);
}

/** Removes anything that looks like an API key (and the configured one) from a provider's message. */
export function redactSecrets(text: string, apiKey?: string | null): string {
  let out = apiKey && apiKey.length >= 8 ? text.split(apiKey).join('[redacted]') : text;
  out = out.replace(/\b(sk|key|api)[-_][A-Za-z0-9_*-]{8,}/g, '[redacted]');
  return out;
}

function providerMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  // The client prefixes the status ("404 The model…"); keep only the provider's sentence.
  return error.message.replace(/^\d{3}\s+/, '').trim();
}

/**
 * What failed at an endpoint a client chose at runtime (`PUT /api/agent/config`) is not told apart: nothing
 * listening, something else answering, no answer in time and any HTTP error all read the same, so that the
 * server can't be used to learn which ports of a host are open. Only what an OpenAI-compatible server alone
 * gets to (a stream cut mid-answer, a conversation too long for the model) keeps its own message.
 */
export function chosenEndpointFailure(baseURL: string): ProviderErrorInfo {
  return {
    code: 'connection',
    message: `Could not reach ${baseURL} as an OpenAI-compatible model server. Check that it runs there and that the base URL is right (it usually ends in /v1).`,
  };
}

/**
 * @example
 *   describeProviderError(err, { model: 'gpt-x', baseURL: 'http://127.0.0.1:11434/v1', maxRetries: 3 })
 *   // → { code: 'model_not_found', message: 'Model "gpt-x" was not found at http://127.0.0.1:11434/v1. …' }
 */
export function describeProviderError(
  error: unknown,
  context: { model: string; baseURL: string; maxRetries: number; apiKey?: string | null; isChosenAtRuntime?: boolean },
): ProviderErrorInfo {
  const { model, baseURL, maxRetries } = context;
  const info = ((): ProviderErrorInfo => {
    if (context.isChosenAtRuntime && !(error instanceof StreamDropped) && !isContextLengthError(error)) return chosenEndpointFailure(baseURL);
    if (error instanceof StreamDropped) {
      return { code: 'stream_dropped', message: `The connection to the model dropped in the middle of its answer; the unfinished answer was not used. Try again.` };
    }
    if (error instanceof OpenAI.APIConnectionTimeoutError) {
      return { code: 'timeout', message: `The model at ${baseURL} did not start answering in time${maxRetries > 0 ? `, also after ${maxRetries} retries` : ''}.` };
    }
    if (error instanceof OpenAI.APIConnectionError) {
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { code: 'connection', message: `Could not reach ${baseURL}${cause}. Is the server running and the base URL right?` };
    }
    if (!(error instanceof OpenAI.APIError)) {
      return { code: 'unknown', message: `The model request failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    const said = providerMessage(error);
    if (error instanceof OpenAI.AuthenticationError) {
      return { code: 'auth', message: `The API key was rejected by ${baseURL} (401). Check OPENAI_API_KEY.` };
    }
    if (error instanceof OpenAI.PermissionDeniedError) {
      return { code: 'auth', message: `The API key may not use model "${model}" at ${baseURL} (403): ${said}` };
    }
    if (error instanceof OpenAI.NotFoundError) {
      return {
        code: 'model_not_found',
        message: `Model "${model}" was not found at ${baseURL} (404). Pick one the server lists, or check the base URL (it usually ends in /v1).`,
      };
    }
    if (error instanceof OpenAI.RateLimitError) {
      if (error.code === 'insufficient_quota') return { code: 'rate_limited', message: `The account at ${baseURL} has no quota left (429): ${said}` };
      return { code: 'rate_limited', message: `The provider is limiting requests (429), still after ${maxRetries} retries. Wait a minute and try again.` };
    }
    if (isContextLengthError(error)) {
      return { code: 'context_length', message: `The conversation is too long for model "${model}", even after trimming it. Start a new conversation or ask about fewer cells.` };
    }
    if (error instanceof OpenAI.InternalServerError) {
      return { code: 'server_error', message: `The provider failed (HTTP ${error.status}), still after ${maxRetries} retries: ${said}. Try again later.` };
    }
    if (error instanceof OpenAI.BadRequestError || error instanceof OpenAI.UnprocessableEntityError) {
      return { code: 'bad_request', message: `The provider rejected the request (${error.status}): ${said}` };
    }
    return { code: 'unknown', message: `The provider answered ${error.status ?? 'with an error'}: ${said}` };
  })();
  return { code: info.code, message: redactSecrets(info.message, context.apiKey) };
}
