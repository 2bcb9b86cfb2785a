/**
 * One agent turn: the person's prompt in, the model streaming text and calling tools until it answers without
 * tools, every step reported as an `AgentEvent`. Bounded by steps, wall-clock time, tokens and the caller's
 * abort signal; it never throws for a provider or tool failure (they end up in events and the result).
 */
import type OpenAI from 'openai';
import { APIError } from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { AgentEvent, AgentStopReason, AttachedName, CellId, ConversationEntry, JSONValue, TokenUsage } from '../protocol/index.ts';
import { notebookOverview } from './context.ts';
import { historyMessages, summariseArgs, trimMessagesForRetry } from './conversation.ts';
import { systemPrompt } from './prompt.ts';
import { describeProviderError, isContextLengthError, type ProviderErrorInfo } from './provider-errors.ts';
import { abortable, streamChat, TurnAborted, type StreamedMessage } from './stream.ts';
import { createNotebookToolRegistry, type ToolContext, type ToolRegistry } from './tools/index.ts';
import { trackNotebook } from './tracked-notebook.ts';
import type { AgentNotebook } from './types.ts';

export interface AgentLimits {
  /** Model requests per turn. */
  maxSteps: number;
  /** Wall clock for the whole turn. */
  turnTimeoutMs: number;
  /** A cell the agent runs is interrupted after this long. */
  cellTimeoutMs: number;
  /** Stop after this many tokens (prompt + completion, summed over the turn); null for no limit. */
  maxTokens: number | null;
  /** Characters one tool result may take in the model's context. */
  outputChars: number;
  /** Characters of earlier turns replayed to the model. */
  historyChars: number;
}

export const DEFAULT_LIMITS: AgentLimits = {
  maxSteps: 20,
  turnTimeoutMs: 15 * 60_000,
  cellTimeoutMs: 120_000,
  maxTokens: null,
  outputChars: 8_000,
  historyChars: 24_000,
};

export interface AgentTurnOptions {
  client: OpenAI;
  model: string;
  notebook: AgentNotebook;
  /** The conversation so far, as kept in `metadata.cellmate.conversation`. */
  history: readonly ConversationEntry[];
  prompt: string;
  /** Stop: ends the turn at once, aborting the stream and interrupting a running cell. */
  signal?: AbortSignal;
  limits?: Partial<AgentLimits>;
  onEvent?: (event: AgentEvent) => void;
  /** Defaults to a fresh id. */
  turnId?: string;
  /** Whether to send images to the model. */
  vision?: boolean;
  /** Defaults to the notebook tools. */
  tools?: ToolRegistry;
  /** OpenAI strict function calling (default true). */
  strictTools?: boolean;
  /** For error messages only. */
  baseURL?: string;
  maxRetries?: number;
  /** The endpoint was chosen at runtime: its failures read alike (see `describeProviderError`). */
  isChosenAtRuntime?: boolean;
  /** The names of what the prompt attached, kept with the prompt so the conversation shows them. */
  attached?: AttachedName[];
  /** Put after the prompt in the turn's first message: a one-click turn's task and what was attached (see one-click.ts). */
  context?: string;
  /** The project's rules (`.cellmate/rules.md`), added to the system prompt. */
  rules?: string;
  /** Told of every request exactly as it goes out, and of the usage each one reports (see turn-logs.ts). */
  log?: RequestLog;
}

/** What follows the requests of a turn (`TurnLogRecorder`). */
export interface RequestLog {
  request(step: number, messages: readonly ChatCompletionMessageParam[], tools: readonly ChatCompletionTool[]): void;
  usage(usage: TokenUsage): void;
}

export interface AgentTurnResult {
  turn: string;
  reply: string;
  cells_changed: CellId[];
  usage: TokenUsage;
  /** Model requests whose usage was not reported (`usage` is then a lower bound). */
  unreported_usage?: number;
  stopped?: true;
  stop_reason?: AgentStopReason;
  error?: ProviderErrorInfo;
  /** This turn's entries: append them to the history and store it (see `compactConversation`). */
  entries: ConversationEntry[];
}

/**
 * The limits with defaults filled in. An explicit `undefined` (e.g. from an optional request field) keeps the
 * default instead of erasing it: a missing `maxSteps` must never mean an unbounded loop.
 */
export function resolveLimits(overrides: Partial<AgentLimits> = {}): AgentLimits {
  const d = DEFAULT_LIMITS;
  return {
    maxSteps: overrides.maxSteps ?? d.maxSteps,
    turnTimeoutMs: overrides.turnTimeoutMs ?? d.turnTimeoutMs,
    cellTimeoutMs: overrides.cellTimeoutMs ?? d.cellTimeoutMs,
    maxTokens: overrides.maxTokens === undefined ? d.maxTokens : overrides.maxTokens,
    outputChars: overrides.outputChars ?? d.outputChars,
    historyChars: overrides.historyChars ?? d.historyChars,
  };
}

/** A fresh turn id, e.g. `t-3fa2b1c0`. */
export function newTurnId(): string {
  return `t-${globalThis.crypto.randomUUID().slice(0, 8)}`;
}

function parseForEvent(text: string): JSONValue {
  try {
    // JSON.parse only yields JSON values.
    return JSON.parse(text) as JSONValue;
  } catch {
    return text;
  }
}

/**
 * Runs one turn. Resolves when the model answers without tool calls, or a bound or Stop ends the turn; the last
 * event is always `done`.
 *
 * @example
 *   const result = await runAgentTurn({ client, model, notebook, history, prompt: 'Plot sales by region', signal, onEvent: send });
 *   session.setConversation(compactConversation([...history, ...result.entries]));
 */
export async function runAgentTurn(options: AgentTurnOptions): Promise<AgentTurnResult> {
  const { client, model, prompt } = options;
  const turn = options.turnId ?? newTurnId();
  const limits = resolveLimits(options.limits);
  const registry = options.tools ?? createNotebookToolRegistry();
  const vision = options.vision ?? false;
  let finished = false;
  const emit = (event: AgentEvent) => {
    // A tool abandoned by Stop may still finish in the background: nothing is reported after `done`.
    if (finished) return;
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure (a closed SSE stream) must not break the turn or leave a cell running.
    }
  };

  const controller = new AbortController();
  const signal = controller.signal;
  let stopReason: AgentStopReason | null = null;
  const stop = (reason: AgentStopReason) => {
    if (signal.aborted) return;
    stopReason = reason;
    controller.abort();
  };
  const notebook = trackNotebook(options.notebook, signal);
  const onOuterAbort = () => stop('aborted');
  if (options.signal?.aborted) stop('aborted');
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(() => stop('timeout'), limits.turnTimeoutMs);

  const usage: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const texts: string[] = [];
  const changed: CellId[] = [];
  const attached = options.attached?.length ? { attached: options.attached } : {};
  const entries: ConversationEntry[] = [{ kind: 'user', turn, text: prompt, at: new Date().toISOString(), ...attached }];
  let failure: ProviderErrorInfo | null = null;

  const ctx: ToolContext = {
    notebook,
    turn,
    model,
    signal,
    cellTimeoutMs: limits.cellTimeoutMs,
    outputChars: limits.outputChars,
    vision,
    cellChanged(id, change) {
      if (!changed.includes(id)) changed.push(id);
      emit({ type: 'cell_changed', turn, cell_id: id, change });
    },
    // The first message shows every cell (notebookOverview below).
    seen: new Map(notebook.doc().cells.map((cell) => [cell.id, cell.source])),
  };

  emit({ type: 'turn_start', turn, model, prompt, ...attached });
  const history = historyMessages(options.history, limits.historyChars);
  let messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: systemPrompt({ notebookPath: notebook.path, vision, cellTimeoutMs: limits.cellTimeoutMs, maxSteps: limits.maxSteps, ...(options.rules ? { rules: options.rules } : {}) }) },
    ...history,
    { role: 'user', content: `${prompt}${options.context ? `\n\n${options.context}` : ''}\n\n---\n${notebookOverview(notebook.doc(), notebook.path)}` },
  ];
  const tools = registry.definitions({ strict: options.strictTools ?? true });
  let trimmed = false;

  let unreported = 0;
  const request = async (step: number, onText: (t: string) => void): Promise<StreamedMessage> => {
    const send = () => {
      options.log?.request(step, messages, tools);
      return streamChat(
        client,
        { model, messages, tools, stream: true, stream_options: { include_usage: true } },
        {
          signal,
          step,
          onText,
          onToolCallDelta: (index, name, delta) =>
            emit({ type: 'tool_call_delta', turn, step, index, ...(name ? { name } : {}), arguments_delta: delta }),
        },
      );
    };
    try {
      return await send();
    } catch (error) {
      if (trimmed || !isContextLengthError(error)) throw error;
      // Too long for the model: once, drop the earlier turns and shorten tool results, then ask again.
      trimmed = true;
      messages = trimMessagesForRetry(messages, history.length);
      return await send();
    }
  };

  try {
    for (let step = 1; ; step++) {
      if (signal.aborted) break;
      if (step > limits.maxSteps) {
        stopReason = 'max_steps';
        break;
      }
      let partial = '';
      let message: StreamedMessage;
      try {
        message = await request(step, (text) => {
          partial += text;
          emit({ type: 'text_delta', turn, text });
        });
      } catch (error) {
        // Refused with an HTTP status: nothing was generated. Cut or stopped mid-stream: tokens went unreported.
        if (!(error instanceof APIError && error.status !== undefined)) unreported += 1;
        if (partial.trim()) {
          texts.push(partial);
          entries.push({ kind: 'assistant', turn, text: partial, model });
        }
        if (error instanceof TurnAborted || signal.aborted) break;
        failure = describeProviderError(error, {
          model,
          baseURL: options.baseURL ?? client.baseURL,
          maxRetries: options.maxRetries ?? client.maxRetries,
          apiKey: client.apiKey,
          isChosenAtRuntime: options.isChosenAtRuntime ?? false,
        });
        stopReason = 'error';
        emit({ type: 'error', turn, ...failure });
        break;
      }

      if (!message.usage) unreported += 1;
      else {
        options.log?.usage(message.usage);
        usage.prompt_tokens += message.usage.prompt_tokens;
        usage.completion_tokens += message.usage.completion_tokens;
        usage.total_tokens += message.usage.total_tokens;
        emit({ type: 'usage', turn, usage: { ...usage } });
      }
      if (message.text.trim()) {
        texts.push(message.text);
        entries.push({ kind: 'assistant', turn, text: message.text, model });
      }
      if (message.toolCalls.length === 0) break;

      messages.push({
        role: 'assistant',
        content: message.text || null,
        tool_calls: message.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      });
      const images: { url: string }[] = [];
      for (const call of message.toolCalls) {
        emit({ type: 'tool_call', turn, call_id: call.id, name: call.name, args: parseForEvent(call.arguments) });
        const result = await abortable(registry.execute(call, ctx), signal);
        emit({ type: 'tool_result', turn, call_id: call.id, name: call.name, ok: result.ok, summary: result.summary });
        entries.push({ kind: 'tool', turn, name: call.name, args: summariseArgs(result.args), ok: result.ok, summary: result.summary });
        messages.push({ role: 'tool', tool_call_id: call.id, content: result.content });
        images.push(...(result.images ?? []));
      }
      if (vision && images.length > 0) {
        // Tool messages can only hold text: images follow as a user message with image parts.
        messages.push({
          role: 'user',
          content: [{ type: 'text', text: 'The images from the outputs above:' }, ...images.map((i) => ({ type: 'image_url' as const, image_url: { url: i.url } }))],
        });
      }
      if (limits.maxTokens !== null && usage.total_tokens >= limits.maxTokens) {
        stopReason = 'max_tokens';
        break;
      }
    }
  } catch (error) {
    // `abortable` around a tool throws `TurnAborted` here. Anything else is a bug; the turn still ends with an
    // `error` and a `done`, so a chat panel never waits forever.
    if (!(error instanceof TurnAborted)) {
      failure = { code: 'unknown', message: `The agent failed: ${error instanceof Error ? error.message : String(error)}` };
      stopReason = 'error';
      emit({ type: 'error', turn, ...failure });
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }

  const reply = texts.join('\n\n');
  const stopped = stopReason ? { stopped: true as const, stop_reason: stopReason } : {};
  const unreportedUsage = unreported > 0 ? { unreported_usage: unreported } : {};
  entries.push({
    kind: 'turn_end',
    turn,
    model,
    usage: { ...usage },
    ...unreportedUsage,
    cells_changed: [...changed],
    ...(stopReason ? { stop_reason: stopReason } : {}),
    ...(failure ? { error: failure.message } : {}),
  });
  emit({ type: 'done', turn, reply, cells_changed: [...changed], usage: { ...usage }, ...unreportedUsage, ...stopped });
  finished = true;
  return { turn, reply, cells_changed: [...changed], usage: { ...usage }, ...unreportedUsage, ...stopped, ...(failure ? { error: failure } : {}), entries };
}
