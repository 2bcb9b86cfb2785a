/**
 * The script language of the fake model server: what each chat request gets back, and builders that read like
 * the story of a test (`reply.tools(...)`, `reply.rateLimited(0)`, `reply.hang()`).
 */
import { z } from 'zod';

/** A tool call the fake model makes; `arguments` as an object is sent as its JSON, a string is sent verbatim. */
export interface FakeToolCall {
  name: string;
  arguments: string | Record<string, unknown>;
  id?: string;
}

export type Reply =
  /** A normal answer: text and/or tool calls, streamed in several chunks. */
  | {
      kind: 'message';
      text?: string;
      toolCalls?: FakeToolCall[];
      finishReason?: 'stop' | 'tool_calls' | 'length';
      /** The usage to report (when the request asks with `stream_options.include_usage`); null reports none. */
      usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
      /** Wait this long before answering (ends early if the client goes away). */
      delayMs?: number;
    }
  /** An HTTP error in OpenAI's error format. */
  | { kind: 'error'; status: number; message: string; type?: string; code?: string; retryAfter?: number }
  /**
   * Streams the start of this reply, then cuts the connection: after `afterChunks` chunks, or once
   * `afterArgumentChars` characters of the tool calls' arguments are out (the chunk holding that point is split
   * there). `cut` says how: `reset` destroys the socket (the default), `end` ends the response cleanly but
   * without a finish or `[DONE]` (a proxy closing early), `mid-event` sends half of the next SSE event first.
   */
  | { kind: 'drop'; text?: string; toolCalls?: FakeToolCall[]; afterChunks?: number; afterArgumentChars?: number; cut?: StreamCut }
  /**
   * Streams the start of a reply (role, `text`, and the arguments of `toolCalls`), then sends nothing more (no
   * finish) until the client disconnects: a model stopped in the middle of writing.
   */
  | { kind: 'hang'; text?: string; toolCalls?: FakeToolCall[] };

/** How a dropped stream ends (see the `drop` reply). */
export type StreamCut = 'reset' | 'end' | 'mid-event';

/** A tool call's arguments as they go over the wire. */
export function argumentsText(call: FakeToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

/** A step of the script: a reply, or a function of the request that produced it (to echo back an id it saw). */
export type ScriptStep = Reply | ((request: ChatRequest) => Reply);

const messageSchema = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() })), z.null()]).optional(),
  tool_calls: z
    .array(z.looseObject({ id: z.string(), type: z.string(), function: z.object({ name: z.string(), arguments: z.string() }) }))
    .optional(),
  tool_call_id: z.string().optional(),
});

/** What the fake server checks of a chat request; other fields are kept as they came. */
export const chatRequestSchema = z.looseObject({
  model: z.string(),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  tools: z.array(z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string() }) })).optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatRequestMessage = ChatRequest['messages'][number];

/** The text of a message, whether its content is a string or a list of parts. */
export function messageText(message: ChatRequestMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => part.text ?? `[${part.type}]`).join('');
}

export const reply = {
  text(text: string, extra: Omit<Extract<Reply, { kind: 'message' }>, 'kind' | 'text'> = {}): Reply {
    return { kind: 'message', text, ...extra };
  },
  /** One assistant message with these tool calls (several calls = parallel tool calls). */
  tools(...toolCalls: FakeToolCall[]): Reply {
    return { kind: 'message', toolCalls };
  },
  textAndTools(text: string, ...toolCalls: FakeToolCall[]): Reply {
    return { kind: 'message', text, toolCalls };
  },
  error(status: number, message: string, extra: Omit<Extract<Reply, { kind: 'error' }>, 'kind' | 'status' | 'message'> = {}): Reply {
    return { kind: 'error', status, message, ...extra };
  },
  rateLimited(retryAfterSeconds = 0): Reply {
    return { kind: 'error', status: 429, message: 'Rate limit reached for requests.', type: 'requests', code: 'rate_limit_exceeded', retryAfter: retryAfterSeconds };
  },
  unauthorized(): Reply {
    return { kind: 'error', status: 401, message: 'Incorrect API key provided.', code: 'invalid_api_key' };
  },
  modelNotFound(model: string): Reply {
    return { kind: 'error', status: 404, message: `The model \`${model}\` does not exist.`, code: 'model_not_found' };
  },
  serverError(status = 500): Reply {
    return { kind: 'error', status, message: 'The server had an error while processing your request.', type: 'server_error' };
  },
  contextLengthExceeded(): Reply {
    return {
      kind: 'error',
      status: 400,
      message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
      code: 'context_length_exceeded',
    };
  },
  drop(afterChunks: number, content: { text?: string; toolCalls?: FakeToolCall[] } = {}): Reply {
    return { kind: 'drop', afterChunks, ...content };
  },
  /**
   * The connection cut in the middle of writing tool calls: after `fraction` of their arguments (all calls
   * together) went out, ended as `cut` says.
   */
  cutInToolCalls(toolCalls: FakeToolCall[], options: { fraction?: number; cut?: StreamCut; text?: string } = {}): Reply {
    const total = toolCalls.reduce((sum, call) => sum + argumentsText(call).length, 0);
    const afterArgumentChars = Math.floor(total * (options.fraction ?? 0.5));
    return { kind: 'drop', toolCalls, afterArgumentChars, cut: options.cut ?? 'reset', ...(options.text === undefined ? {} : { text: options.text }) };
  },
  hang(text?: string, ...toolCalls: FakeToolCall[]): Reply {
    const calls = toolCalls.length > 0 ? { toolCalls } : {};
    return text === undefined ? { kind: 'hang', ...calls } : { kind: 'hang', text, ...calls };
  },
};
