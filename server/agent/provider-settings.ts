/**
 * The model provider as the running server uses it: the configuration read from the environment at start, with
 * the endpoint and model a person picked at runtime (`PUT /api/agent/config`) on top. The choice is kept in
 * memory and, when a file is given, in `<workspace>/.cellmate/settings.json` — never the API key: the key stays
 * in this process, and is only sent to the endpoint it was configured for.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type OpenAI from 'openai';
import { z } from 'zod';
import { CellmateError, Conflict } from '../errors.ts';
import { errorCode, writeFileAtomic } from '../store/atomic-write.ts';
import {
  createProviderClient,
  DEFAULT_OPENAI_MODEL,
  listModels,
  LOCAL_SERVERS,
  OPENAI_BASE_URL,
  providerStatus,
  supportsVision,
  type LocalServerCandidate,
  type ProviderConfig,
  type ProviderStatus,
} from './provider.ts';
import { describeProviderError, type ProviderErrorInfo } from './provider-errors.ts';

/** The model endpoint could not be reached or refused the request (HTTP 502). */
export class ProviderUnreachable extends CellmateError {
  constructor(message: string) {
    super(message, 502);
  }
}

const baseUrlSchema = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

/**
 * A change of `PUT /api/agent/config`. `null` goes back to the environment's value; a new `base_url` without a
 * `model` uses the first model that endpoint lists (the old model is unlikely to exist there).
 */
export const providerChangeSchema = z
  .object({ base_url: baseUrlSchema.nullable().optional(), model: z.string().trim().min(1).max(200).nullable().optional() })
  .strict();
export type ProviderChange = z.infer<typeof providerChangeSchema>;

/** What the person chose at runtime. `model: null` means the first model the endpoint lists. */
interface ProviderChoice {
  base_url?: string;
  model?: string | null;
}

const settingsFileSchema = z.looseObject({
  agent: z.object({ base_url: baseUrlSchema.optional(), model: z.string().min(1).nullable().optional() }).optional(),
});

/** Everything one turn needs to talk to the model. */
export interface TurnProvider {
  client: OpenAI;
  model: string;
  vision: boolean;
  baseURL: string;
  maxRetries: number;
  /** The endpoint was chosen at runtime, not in the environment: its failures are not told apart (provider-errors.ts). */
  isChosenAtRuntime: boolean;
}

export interface ProviderSettingsOptions {
  /** From the environment at start (`providerConfigFromEnv`). */
  base: ProviderConfig;
  /** Where to keep the runtime choice (no key is ever written); in memory only when absent. */
  file?: string;
  /** Where to look for local servers when nothing is configured (default: Ollama's and LM Studio's ports). */
  localServers?: readonly LocalServerCandidate[];
  /** How long each local server may take to answer the model list (default 500 ms). */
  detectTimeoutMs?: number;
}

const urlOf = (baseURL: string | null) => (baseURL ?? OPENAI_BASE_URL).replace(/\/+$/, '');

export class ProviderSettings {
  readonly #base: ProviderConfig;
  readonly #options: ProviderSettingsOptions;
  #choice: ProviderChoice = {};
  #fileProblem: string | null = null;
  #client: { config: ProviderConfig; client: OpenAI | null } | null = null;

  constructor(options: ProviderSettingsOptions) {
    this.#base = options.base;
    this.#options = options;
  }

  /** The effective configuration. The key only goes with the endpoint it was configured for. */
  get config(): ProviderConfig {
    const baseURL = this.#choice.base_url ?? this.#base.baseURL;
    const sameEndpoint = urlOf(baseURL) === urlOf(this.#base.baseURL);
    const model = this.#choice.model === undefined ? this.#base.model : this.#choice.model;
    const problems = this.#fileProblem ? [...this.#base.problems, this.#fileProblem] : this.#base.problems;
    return { ...this.#base, baseURL, apiKey: sameEndpoint ? this.#base.apiKey : null, model, problems };
  }

  /** Reads the saved choice, if any; a file that can't be used is reported in the status, never fatal. */
  async load(): Promise<void> {
    const file = this.#options.file;
    if (!file) return;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return;
      this.#fileProblem = `${file} could not be read and was ignored: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = settingsFileSchema.safeParse(json);
    if (!parsed.success) {
      this.#fileProblem = `${file} is not valid settings JSON and was ignored`;
      return;
    }
    const agent = parsed.data.agent ?? {};
    this.#choice = {
      ...(agent.base_url !== undefined ? { base_url: agent.base_url } : {}),
      ...(agent.model !== undefined ? { model: agent.model } : {}),
    };
  }

  /** The client for the effective configuration (rebuilt only when it changes); null when nothing is configured. */
  client(): OpenAI | null {
    const config = this.config;
    if (this.#client && sameConfig(this.#client.config, config)) return this.#client.client;
    const client = createProviderClient(config);
    this.#client = { config, client };
    return client;
  }

  /** The status for the UI; looks for local servers (briefly) when nothing is configured. */
  status(): Promise<ProviderStatus> {
    return providerStatus(this.config, {
      detect: true,
      candidates: this.#options.localServers ?? LOCAL_SERVERS,
      timeoutMs: this.#options.detectTimeoutMs ?? 500,
    });
  }

  /** The model ids the endpoint serves. */
  async models(): Promise<string[]> {
    const client = this.client();
    if (!client) throw new Conflict(`No model is configured. ${(await this.status()).help}`);
    try {
      return await listModels(client);
    } catch (error) {
      throw new ProviderUnreachable(this.#describe(error, '').message);
    }
  }

  /** Applies a runtime choice, saves it (without the key) and answers with the new status. */
  async update(change: ProviderChange): Promise<ProviderStatus> {
    const next: ProviderChoice = { ...this.#choice };
    if (change.base_url === null) delete next.base_url;
    else if (change.base_url !== undefined && change.base_url !== urlOf(this.config.baseURL)) {
      next.base_url = change.base_url;
      if (change.model === undefined) next.model = null;
    }
    if (change.model === null) delete next.model;
    else if (change.model !== undefined) next.model = change.model;
    this.#choice = next;
    await this.#save();
    return this.status();
  }

  /**
   * The client and model for one turn: `requested` (a per-turn override), else the configured model, else
   * OpenAI's default on OpenAI, else the first model the endpoint lists. An error when there is none. `signal`
   * (the turn's Stop) cuts the model list short.
   */
  async prepare(requested?: string, signal?: AbortSignal): Promise<TurnProvider | ProviderErrorInfo> {
    const config = this.config;
    const client = this.client();
    if (!client) return { code: 'not_configured', message: (await this.status()).help };
    let model = requested ?? config.model ?? (config.baseURL === null ? DEFAULT_OPENAI_MODEL : null);
    if (model === null) {
      try {
        model = (await listModels(client, signal ? { signal } : {}))[0] ?? null;
      } catch (error) {
        return this.#describe(error, '');
      }
      if (model === null) {
        return { code: 'not_configured', message: `The server at ${urlOf(config.baseURL)} serves no models yet: pull or load one, or set CELLMATE_MODEL.` };
      }
    }
    return { client, model, vision: supportsVision(model, config), baseURL: urlOf(config.baseURL), maxRetries: config.maxRetries, isChosenAtRuntime: this.#isChosenAtRuntime() };
  }

  #describe(error: unknown, model: string): ProviderErrorInfo {
    const config = this.config;
    const context = { model, baseURL: urlOf(config.baseURL), maxRetries: config.maxRetries, apiKey: config.apiKey };
    return describeProviderError(error, { ...context, isChosenAtRuntime: this.#isChosenAtRuntime() });
  }

  /** Whether the endpoint in use is another than the environment's (a client picked it). */
  #isChosenAtRuntime(): boolean {
    return urlOf(this.config.baseURL) !== urlOf(this.#base.baseURL);
  }

  async #save(): Promise<void> {
    const file = this.#options.file;
    if (!file) return;
    // Only the endpoint and the model: the key never leaves this process.
    const agent: { base_url?: string; model?: string | null } = {};
    if (this.#choice.base_url !== undefined) agent.base_url = this.#choice.base_url;
    if (this.#choice.model !== undefined) agent.model = this.#choice.model;
    // Other settings in the same file are kept as they are.
    const current = settingsFileSchema.safeParse(await readJson(file));
    const settings = { ...(current.success ? current.data : {}), agent };
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(settings, null, 2)}\n`);
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function sameConfig(a: ProviderConfig, b: ProviderConfig): boolean {
  return a.apiKey === b.apiKey && a.baseURL === b.baseURL && a.maxRetries === b.maxRetries && a.timeoutMs === b.timeoutMs;
}

/** Whether a prepared provider came back (and not an error). */
export function isTurnProvider(value: TurnProvider | ProviderErrorInfo): value is TurnProvider {
  return 'client' in value;
}
