/**
 * Inline completion: one short suggestion from the configured model for the text at a cell's cursor, through the
 * assistant's provider (its endpoint, key and client: the key never leaves this process). Fill in the middle
 * uses the OpenAI-compatible `completions` endpoint with `prompt` and `suffix`; chat mode asks a chat completion
 * for the text to insert only. Whether the server can do FIM is the person's setting (no standard way to ask it).
 *
 * Off unless `CELLMATE_INLINE_COMPLETION` or the page's setting says otherwise; the runtime choice is kept in
 * `.cellmate/settings.json` (`inline_completion.mode`) beside the model choice and wins at the next start.
 * A request is bounded (context, tokens, one answer, no retries, a short timeout) and ends with the caller's
 * signal: the page aborts it on the next keystroke, and the model server sees its connection closed.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { inlineCompletionModeSchema, type InlineCompletion, type InlineCompletionMode } from '../protocol/inline-completion.ts';
import { Conflict } from '../errors.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { chatMessages, MAX_SUGGESTION_TOKENS, sanitizeSuggestion, type InlineContext } from './inline-prompt.ts';
import { describeProviderError } from './provider-errors.ts';
import { isTurnProvider, ProviderUnreachable, type ProviderSettings } from './provider-settings.ts';

/** How long a suggestion may take to start arriving; a later one would be too late to be of use anyway. */
const DEFAULT_TIMEOUT_MS = 20_000;

const settingsFileSchema = z.looseObject({ inline_completion: z.looseObject({ mode: z.enum(inlineCompletionModeSchema.options).optional() }).optional() });

/** A suggestion asked for while inline completion is off (HTTP 409). */
export class InlineCompletionOff extends Conflict {
  constructor() {
    super('Inline completion is off: turn it on in the assistant panel, or set CELLMATE_INLINE_COMPLETION to fim or chat.');
  }
}

export interface InlineCompletionOptions {
  provider: ProviderSettings;
  /** `CELLMATE_INLINE_COMPLETION`; `off` when absent. */
  mode?: InlineCompletionMode;
  /** `CELLMATE_INLINE_COMPLETION_MODEL`: a model for suggestions only (a code model); else the assistant's. */
  model?: string;
  /** `.cellmate/settings.json`: where the runtime choice is kept; in memory only when absent. */
  file?: string;
  timeoutMs?: number;
}

export class InlineCompleter {
  readonly #options: InlineCompletionOptions;
  #mode: InlineCompletionMode;

  constructor(options: InlineCompletionOptions) {
    this.#options = options;
    this.#mode = options.mode ?? 'off';
  }

  get mode(): InlineCompletionMode {
    return this.#mode;
  }

  /** Reads the saved choice, if any; a file that can't be used leaves the environment's. */
  async load(): Promise<void> {
    const parsed = settingsFileSchema.safeParse(await readJson(this.#options.file));
    const mode = parsed.success ? parsed.data.inline_completion?.mode : undefined;
    if (mode) this.#mode = mode;
  }

  /** Changes the mode and keeps it (other settings in the file are kept as they are). */
  async setMode(mode: InlineCompletionMode): Promise<InlineCompletionMode> {
    this.#mode = mode;
    const file = this.#options.file;
    if (file) {
      const current = await readJson(file);
      const settings = current !== null && typeof current === 'object' && !Array.isArray(current) ? current : {};
      await mkdir(dirname(file), { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify({ ...settings, inline_completion: { mode } }, null, 2)}\n`);
    }
    return mode;
  }

  /**
   * One suggestion for `context`, or a 409 when inline completion is off or no model is configured, a 502 when
   * the model fails. Aborted by `signal`: the model request is cancelled and the answer is empty.
   */
  async complete(context: InlineContext, signal: AbortSignal): Promise<InlineCompletion> {
    const mode = this.#mode;
    if (mode === 'off') throw new InlineCompletionOff();
    const provider = this.#options.provider;
    const prepared = await provider.prepare(this.#options.model, signal);
    if (!isTurnProvider(prepared)) {
      if (signal.aborted) return { text: '', mode, model: '' };
      throw prepared.code === 'not_configured' ? new Conflict(prepared.message) : new ProviderUnreachable(prepared.message);
    }
    const { client, model } = prepared;
    // No retries: by the time a retry answered, the person would have typed on.
    const request = { signal, maxRetries: 0, timeout: this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
    const common = { model, max_tokens: MAX_SUGGESTION_TOKENS, temperature: 0, n: 1, stream: false } as const;
    try {
      const answer =
        mode === 'fim'
          ? ((await client.completions.create({ ...common, prompt: context.prefix, suffix: context.suffix }, request)).choices[0]?.text ?? '')
          : ((await client.chat.completions.create({ ...common, messages: chatMessages(context) }, request)).choices[0]?.message.content ?? '');
      return { text: sanitizeSuggestion(answer, context, mode === 'chat'), mode, model };
    } catch (error) {
      if (signal.aborted) return { text: '', mode, model };
      const { message } = describeProviderError(error, {
        model,
        baseURL: prepared.baseURL,
        maxRetries: 0,
        apiKey: provider.config.apiKey,
        isChosenAtRuntime: prepared.isChosenAtRuntime,
      });
      throw new ProviderUnreachable(message);
    }
  }
}

async function readJson(file: string | undefined): Promise<unknown> {
  if (!file) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // Missing (the usual case), unreadable or not JSON: the defaults stand (the provider's status reports a bad file).
    return undefined;
  }
}
