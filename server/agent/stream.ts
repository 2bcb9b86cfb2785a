/**
 * One streamed chat completion: sends the request, passes text and tool-call pieces on as they arrive, and
 * assembles the assistant's message. It accumulates the deltas itself (rather than through the SDK's helper) so
 * it can be lenient with OpenAI-compatible servers that send a whole tool call in one chunk, omit ids, or say
 * `stop` after tool calls, and strict about a stream that ends before the model finished.
 */
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { StreamDropped } from './provider-errors.ts';
import type { ToolCallRequest } from './tools/index.ts';

/** The turn was stopped (Stop pressed, wall clock ran out) while waiting for the model. */
export class TurnAborted extends Error {
  constructor() {
    super('The turn was stopped');
    this.name = 'TurnAborted';
  }
}

export interface StreamedMessage {
  text: string;
  toolCalls: ToolCallRequest[];
  finishReason: ChatCompletionChunk.Choice['finish_reason'];
  usage: CompletionUsage | null;
}

export interface StreamHandlers {
  onText?(text: string): void;
  onToolCallDelta?(index: number, name: string | undefined, argumentsDelta: string): void;
}

/**
 * Resolves like `promise`, or rejects with `TurnAborted` as soon as `signal` aborts (the promise is left to
 * settle on its own; its rejection is swallowed). Used where the SDK can't be interrupted, e.g. while it sleeps
 * before a retry.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new TurnAborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TurnAborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Assembles an assistant message from chunks, passing pieces to the handlers as they arrive. */
export class MessageAccumulator {
  text = '';
  finishReason: StreamedMessage['finishReason'] = null;
  usage: CompletionUsage | null = null;
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();

  constructor(
    private readonly step: number,
    private readonly handlers: StreamHandlers,
  ) {}

  add(chunk: ChatCompletionChunk): void {
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) return;
    const { delta } = choice;
    if (delta.content) {
      this.text += delta.content;
      this.handlers.onText?.(delta.content);
    }
    const known = this.calls.size;
    (delta.tool_calls ?? []).forEach((piece, position) => {
      // Some servers leave out `index` (typed as required) and send each call whole: number them in order.
      const index = typeof piece.index === 'number' ? piece.index : known + position;
      const call = this.calls.get(index) ?? { id: '', name: '', arguments: '' };
      const isNew = !this.calls.has(index);
      this.calls.set(index, call);
      if (piece.id) call.id ||= piece.id;
      const name = piece.function?.name;
      if (name) call.name ||= name;
      const args = piece.function?.arguments ?? '';
      call.arguments += args;
      if (isNew || args) this.handlers.onToolCallDelta?.(index, isNew ? call.name || undefined : undefined, args);
    });
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  result(): StreamedMessage {
    const toolCalls = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({ id: call.id || `call_${this.step}_${index}`, name: call.name, arguments: call.arguments }));
    return { text: this.text, toolCalls, finishReason: this.finishReason, usage: this.usage };
  }
}

/**
 * Streams one chat completion. Rejects with `TurnAborted` when `signal` aborts, `StreamDropped` when the stream
 * breaks or ends before a `finish_reason`, or the client's `APIError` (after its own retries).
 */
export async function streamChat(
  client: OpenAI,
  params: ChatCompletionCreateParamsStreaming,
  options: { signal: AbortSignal; step: number } & StreamHandlers,
): Promise<StreamedMessage> {
  const { signal } = options;
  // The client adds an abort listener to the signal it is given and never removes it: given the turn's own
  // signal, a turn of many steps would pile them up (and Node warns past ten). A signal of its own per request
  // follows the turn's without a listener on it, and goes away with the request.
  const stream = await abortable(client.chat.completions.create(params, { signal: AbortSignal.any([signal]) }), signal);
  const message = new MessageAccumulator(options.step, options);
  try {
    for await (const chunk of stream) {
      message.add(chunk);
      if (signal.aborted) break;
    }
  } catch (error) {
    if (signal.aborted) throw new TurnAborted();
    // A connection that breaks after the model finished (before `[DONE]` or the usage chunk) lost nothing.
    if (message.finishReason === null) {
      // An error event inside the stream is the provider speaking; anything else is the connection breaking.
      if (error instanceof OpenAI.APIError && !(error instanceof OpenAI.APIConnectionError)) throw error;
      throw new StreamDropped(error);
    }
  }
  // Aborting ends the SDK's iteration quietly instead of throwing.
  if (signal.aborted) throw new TurnAborted();
  if (message.finishReason === null) throw new StreamDropped();
  return message.result();
}
