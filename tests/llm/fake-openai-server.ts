/**
 * An OpenAI-compatible model server for tests: a real HTTP server on 127.0.0.1 (port 0) speaking the Chat
 * Completions wire format, so the real `openai` client talks to it exactly as it would to a provider. It plays a
 * script of replies, one per `POST /v1/chat/completions`, and records every request it receives.
 *
 * @example
 *   const server = await startFakeOpenAI({ script: [reply.tools({ name: 'read_notebook', arguments: {} }), reply.text('Done.')] });
 *   const client = new OpenAI({ apiKey: 'test', baseURL: server.baseURL });
 *   // … run the agent …
 *   expect(server.chatRequests[1]!.messages.at(-1)).toMatchObject({ role: 'tool' });
 *   await server.close();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { argumentsText, chatRequestSchema, type ChatRequest, type Reply, type ScriptStep } from './fake-script.ts';
import { completionRequestSchema, playCompletion, type CompletionRequest, type CompletionStep } from './fake-completions.ts';

export type { CompletionRequest, CompletionStep } from './fake-completions.ts';
export { reply, messageText, type ChatRequest, type FakeToolCall, type Reply, type ScriptStep, type StreamCut } from './fake-script.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  raw: string;
  /** The parsed body of a chat completion request; `null` for other requests or a body that isn't one. */
  body: ChatRequest | null;
  /** Set when the client closed the connection before the reply ended (an abort). */
  aborted: boolean;
}

export interface FakeOpenAIOptions {
  script?: ScriptStep[];
  /** Model ids served by `GET /v1/models`; a chat request for another model gets a 404 `model_not_found`. */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** The replies of `POST /v1/completions` (fill in the middle), a script of their own (fake-completions.ts). */
  completions?: CompletionStep[];
}

export interface FakeOpenAIServer {
  /** e.g. `http://127.0.0.1:40123/v1` */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Bodies of the chat completion requests, in order. */
  readonly chatRequests: ChatRequest[];
  /** Script steps not played yet. */
  readonly remaining: number;
  /** Appends steps to the script. */
  push(...steps: ScriptStep[]): void;
  /** Bodies of the `POST /v1/completions` requests, in order. */
  readonly completionRequests: CompletionRequest[];
  /** Appends steps to the completions script. */
  pushCompletion(...steps: CompletionStep[]): void;
  close(): Promise<void>;
}

const sleep = (ms: number, res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });

function split(text: string, pieces: number): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The chunks of a streamed reply, without the usage chunk: role, text pieces, tool call pieces, finish. */
function replyChunks(step: Extract<Reply, { kind: 'message' | 'drop' | 'hang' }>, id: string, model: string) {
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: ChatCompletionChunk.Choice.Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null) =>
    ({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] }) satisfies ChatCompletionChunk;
  const chunks: ChatCompletionChunk[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of split(step.text ?? '', 4)) chunks.push(chunk({ content: piece }));
  const calls = step.toolCalls ?? [];
  calls.forEach((call, index) => {
    const callId = call.id ?? `call_${id.replace('chatcmpl-', '')}_${index}`;
    chunks.push(chunk({ tool_calls: [{ index, id: callId, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of split(argumentsText(call), 3)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  if (step.kind === 'message') {
    chunks.push(chunk({}, step.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop')));
  }
  return chunks;
}

/**
 * The chunks that go out before the connection is cut once `limit` characters of tool-call arguments are out:
 * the chunk holding that point is split there, and `next` is what would have come right after.
 */
function cutInArguments(chunks: ChatCompletionChunk[], limit: number): { sent: ChatCompletionChunk[]; next: ChatCompletionChunk | undefined } {
  const sent: ChatCompletionChunk[] = [];
  let written = 0;
  for (const chunk of chunks) {
    const choice = chunk.choices[0];
    const piece = choice?.delta.tool_calls?.[0];
    const args = piece?.function?.arguments ?? '';
    if (!choice || !piece || written + args.length <= limit) {
      sent.push(chunk);
      written += args.length;
      continue;
    }
    const withArguments = (text: string): ChatCompletionChunk => ({
      ...chunk,
      choices: [{ ...choice, delta: { tool_calls: [{ ...piece, function: { ...piece.function, arguments: text } }] } }],
    });
    const keep = limit - written;
    if (keep > 0) sent.push(withArguments(args.slice(0, keep)));
    return { sent, next: withArguments(args.slice(keep)) };
  }
  return { sent, next: undefined };
}

function usageFor(request: ChatRequest, step: Extract<Reply, { kind: 'message' }>) {
  // Deterministic, roughly token-like numbers (4 characters a token) unless the step says otherwise.
  const prompt_tokens = step.usage?.prompt_tokens ?? Math.ceil(JSON.stringify(request.messages).length / 4);
  const output = (step.text ?? '') + (step.toolCalls ?? []).map(argumentsText).join('');
  const completion_tokens = step.usage?.completion_tokens ?? Math.ceil(output.length / 4);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function sendJSON(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function openAIError(res: ServerResponse, status: number, message: string, type: string, code: string | null, headers?: Record<string, string>) {
  sendJSON(res, status, { error: { message, type, param: null, code } }, headers);
}

/** Starts the fake server; `close()` it in `afterEach`. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAIServer> {
  const script: ScriptStep[] = [...(options.script ?? [])];
  const models = options.models ?? ['fake-model'];
  const requests: RecordedRequest[] = [];
  let served = 0;
  const completionScript: CompletionStep[] = [...(options.completions ?? [])];
  const completionRequests: CompletionRequest[] = [];

  async function playChat(record: RecordedRequest, request: ChatRequest, res: ServerResponse) {
    const next = script.shift();
    if (!next) {
      openAIError(res, 500, `fake server: the script has no step for chat request #${served + 1}`, 'server_error', null);
      return;
    }
    served += 1;
    const step = typeof next === 'function' ? next(request) : next;
    if (step.kind === 'error') {
      const headers = step.retryAfter === undefined ? undefined : { 'retry-after': String(step.retryAfter) };
      openAIError(res, step.status, step.message, step.type ?? 'invalid_request_error', step.code ?? null, headers);
      return;
    }
    if (step.kind === 'message' && step.delayMs) await sleep(step.delayMs, res);
    if (res.destroyed) return;
    const id = `chatcmpl-fake${served}`;
    const chunks = replyChunks(step, id, request.model);
    if (!request.stream) {
      if (step.kind !== 'message') {
        res.socket?.destroy();
        return;
      }
      sendJSON(res, 200, completionBody(step, id, request));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const write = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    if (step.kind === 'drop') {
      const { sent, next } = step.afterArgumentChars === undefined ? { sent: chunks.slice(0, step.afterChunks ?? 0), next: chunks[step.afterChunks ?? 0] } : cutInArguments(chunks, step.afterArgumentChars);
      sent.forEach(write);
      if (step.cut === 'end') {
        res.end();
        return;
      }
      if (step.cut === 'mid-event' && next) {
        const event = `data: ${JSON.stringify(next)}\n\n`;
        res.write(event.slice(0, Math.floor(event.length / 2)));
      }
      // Let the written chunks reach the client before the connection dies, as a real network drop would.
      await new Promise<void>((resolve) => res.write('', () => resolve()));
      res.socket?.destroy();
      return;
    }
    if (step.kind === 'hang') {
      chunks.forEach(write);
      await new Promise<void>((resolve) => res.once('close', resolve));
      return;
    }
    chunks.forEach(write);
    if (request.stream_options?.include_usage && step.usage !== null) {
      write({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.model, choices: [], usage: usageFor(request, step) });
    }
    res.end('data: [DONE]\n\n');
  }

  function completionBody(step: Extract<Reply, { kind: 'message' }>, id: string, request: ChatRequest): ChatCompletion {
    const calls = step.toolCalls ?? [];
    return {
      id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [
        {
          index: 0,
          logprobs: null,
          finish_reason: step.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop'),
          message: {
            role: 'assistant',
            content: step.text ?? null,
            refusal: null,
            ...(calls.length > 0
              ? { tool_calls: calls.map((call, index) => ({ id: call.id ?? `call_${index}`, type: 'function' as const, function: { name: call.name, arguments: argumentsText(call) } })) }
              : {}),
          },
        },
      ],
      usage: usageFor(request, step),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
    const record: RecordedRequest = { method: req.method ?? 'GET', path, headers, raw, body: null, aborted: false };
    requests.push(record);
    res.once('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });

    if (options.apiKey !== undefined && headers['authorization'] !== `Bearer ${options.apiKey}`) {
      openAIError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
      return;
    }
    if (record.method === 'GET' && path === '/v1/models') {
      sendJSON(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
      return;
    }
    if (record.method === 'POST' && path === '/v1/chat/completions') {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        openAIError(res, 400, 'The body is not valid JSON.', 'invalid_request_error', null);
        return;
      }
      const parsed = chatRequestSchema.safeParse(json);
      if (!parsed.success) {
        openAIError(res, 400, `Invalid chat request: ${parsed.error.message}`, 'invalid_request_error', null);
        return;
      }
      record.body = parsed.data;
      if (!models.includes(parsed.data.model)) {
        const message = `The model \`${parsed.data.model}\` does not exist or you do not have access to it.`;
        openAIError(res, 404, message, 'invalid_request_error', 'model_not_found');
        return;
      }
      await playChat(record, parsed.data, res);
      return;
    }
    if (record.method === 'POST' && path === '/v1/completions') {
      const parsed = completionRequestSchema.safeParse(JSON.parse(raw || 'null'));
      if (!parsed.success) {
        openAIError(res, 400, `Invalid completion request: ${parsed.error.message}`, 'invalid_request_error', null);
        return;
      }
      completionRequests.push(parsed.data);
      const sendError = (status: number, message: string, type: string, code: string | null, headers?: Record<string, string>) => openAIError(res, status, message, type, code, headers);
      const step = models.includes(parsed.data.model) ? completionScript.shift() : { kind: 'error' as const, status: 404, message: `The model \`${parsed.data.model}\` does not exist.`, code: 'model_not_found' };
      await playCompletion({ res, request: parsed.data, step, index: completionRequests.length, sendJSON: (status, body, headers) => sendJSON(res, status, body, headers), sendError });
      return;
    }
    openAIError(res, 404, `fake server: no route for ${record.method} ${path}`, 'invalid_request_error', null);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) openAIError(res, 500, `fake server crashed: ${String(error)}`, 'server_error', null);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get chatRequests() {
      return requests.flatMap((r) => (r.body ? [r.body] : []));
    },
    get remaining() {
      return script.length;
    },
    push(...steps) {
      script.push(...steps);
    },
    completionRequests,
    pushCompletion(...steps) {
      completionScript.push(...steps);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging replies and keep-alive sockets would keep `close` waiting forever.
        server.closeAllConnections();
      });
    },
  };
}
