/**
 * The model provider: configuration from the environment, the `openai` client built from it, the model list,
 * and — when nothing is configured — a quick look for a local OpenAI-compatible server (Ollama, LM Studio).
 * The API key goes into the client and nowhere else: no status, log line or error message carries it.
 */
import type { DetectedServer, ProviderStatus } from '../protocol/resources.ts';
import OpenAI from 'openai';
import { z } from 'zod';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** Used with OpenAI itself when `CELLMATE_MODEL` is unset: cheap, fast, good with tools, sees images. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
/** Local servers ignore the key, but the client insists on one. */
const NO_KEY = 'cellmate-no-key';

export interface ProviderConfig {
  apiKey: string | null;
  /** null means OpenAI itself. */
  baseURL: string | null;
  model: string | null;
  /** Retries of 429, 408/409 and 5xx answers and connection failures, with exponential backoff (the client's). */
  maxRetries: number;
  /** How long to wait for a response to start. */
  timeoutMs: number;
  /** Whether the model accepts images; null to guess from its name. */
  vision: boolean | null;
  /** Environment values that were ignored, in words for the status panel. */
  problems: string[];
}

const boolText = z.enum(['1', '0', 'true', 'false', 'yes', 'no']).transform((v) => v === '1' || v === 'true' || v === 'yes');

function envValue<T>(env: NodeJS.ProcessEnv, key: string, schema: z.ZodType<T>, problems: string[]): T | null {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return null;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // Never echo the key's value.
  const shown = key === 'OPENAI_API_KEY' ? '' : ` (${JSON.stringify(raw.slice(0, 80))})`;
  problems.push(`${key} is not valid${shown} and was ignored: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return null;
}

/**
 * Reads the provider configuration from the environment: `OPENAI_API_KEY`, `OPENAI_BASE_URL`,
 * `CELLMATE_MODEL`, and `CELLMATE_LLM_MAX_RETRIES` (default 3), `CELLMATE_LLM_TIMEOUT_MS` (default 60000),
 * `CELLMATE_VISION` (1/0; default: guessed from the model name).
 */
export function providerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderConfig {
  const problems: string[] = [];
  return {
    apiKey: envValue(env, 'OPENAI_API_KEY', z.string().trim().min(1), problems),
    baseURL: envValue(env, 'OPENAI_BASE_URL', z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')), problems),
    model: envValue(env, 'CELLMATE_MODEL', z.string().trim().min(1), problems),
    maxRetries: envValue(env, 'CELLMATE_LLM_MAX_RETRIES', z.coerce.number().int().min(0).max(10), problems) ?? 3,
    timeoutMs: envValue(env, 'CELLMATE_LLM_TIMEOUT_MS', z.coerce.number().int().min(100).max(3_600_000), problems) ?? 60_000,
    vision: envValue(env, 'CELLMATE_VISION', boolText, problems),
    problems,
  };
}

/** A key, or a base URL (a local server needs no key), is enough to talk to a model. */
export function isConfigured(config: ProviderConfig): boolean {
  return config.apiKey !== null || config.baseURL !== null;
}

/** The client for a configured provider, or null when nothing is configured. */
export function createProviderClient(config: ProviderConfig): OpenAI | null {
  if (!isConfigured(config)) return null;
  return new OpenAI({
    apiKey: config.apiKey ?? NO_KEY,
    baseURL: config.baseURL ?? OPENAI_BASE_URL,
    maxRetries: config.maxRetries,
    timeout: config.timeoutMs,
  });
}

const modelListSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

/** An answer to `GET /models` that is no OpenAI model list (a web page, another service's JSON). */
export class NotAModelList extends Error {
  constructor() {
    super('the server did not answer with a model list');
    this.name = 'NotAModelList';
  }
}

/**
 * The model ids the endpoint serves (`GET /models`), sorted. An answer without the list's shape is
 * `NotAModelList` (the client alone would read a web page as an empty list).
 */
export async function listModels(client: OpenAI, options: { signal?: AbortSignal } = {}): Promise<string[]> {
  const body: unknown = await client.get('/models', options.signal ? { signal: options.signal } : {});
  const parsed = modelListSchema.safeParse(body);
  if (!parsed.success) throw new NotAModelList();
  return parsed.data.data.map((model) => model.id).sort();
}

/**
 * The model to use: `CELLMATE_MODEL`, else OpenAI's default on OpenAI, else the first model the endpoint lists
 * (a local server usually serves the one the person pulled). Null when there is none.
 */
export async function resolveModel(client: OpenAI, config: ProviderConfig): Promise<string | null> {
  if (config.model) return config.model;
  if (config.baseURL === null) return DEFAULT_OPENAI_MODEL;
  const models = await listModels(client);
  return models[0] ?? null;
}

/** Guesses image support from the model's name, unless `CELLMATE_VISION` says. */
export function supportsVision(model: string, config: Pick<ProviderConfig, 'vision'>): boolean {
  if (config.vision !== null) return config.vision;
  return /gpt-4o|gpt-4\.1|gpt-5|\bo[34]\b|vision|llava|[-_.]vl\b|\bvl[-_]|pixtral|gemma3|qwen2\.5vl|minicpm-v|claude|gemini/i.test(model);
}

export interface LocalServerCandidate {
  name: string;
  baseURL: string;
}

/** Where local OpenAI-compatible servers listen by default. */
export const LOCAL_SERVERS: readonly LocalServerCandidate[] = [
  { name: 'Ollama', baseURL: 'http://127.0.0.1:11434/v1' },
  { name: 'LM Studio', baseURL: 'http://127.0.0.1:1234/v1' },
];


/**
 * Asks each candidate for its model list, all at once, each with a short timeout; returns those that answered.
 * Never throws: a closed port is the normal case.
 */
export async function detectLocalServers(
  options: { candidates?: readonly LocalServerCandidate[]; timeoutMs?: number } = {},
): Promise<DetectedServer[]> {
  const { candidates = LOCAL_SERVERS, timeoutMs = 500 } = options;
  const found = await Promise.all(
    candidates.map(async (candidate): Promise<DetectedServer | null> => {
      try {
        const response = await fetch(`${candidate.baseURL}/models`, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) return null;
        const parsed = modelListSchema.safeParse(await response.json());
        if (!parsed.success) return null;
        return { name: candidate.name, base_url: candidate.baseURL, models: parsed.data.data.map((m) => m.id).sort() };
      } catch {
        return null;
      }
    }),
  );
  return found.filter((server): server is DetectedServer => server !== null);
}

/** Configuration for a detected local server, to use it when the person accepts the offer. */
export function configForDetected(server: DetectedServer, base: ProviderConfig, model?: string): ProviderConfig {
  return { ...base, apiKey: null, baseURL: server.base_url, model: model ?? server.models[0] ?? null };
}

const HOW_TO =
  'Set OPENAI_API_KEY (and CELLMATE_MODEL, e.g. gpt-4o-mini) to use OpenAI, or OPENAI_BASE_URL for any ' +
  'OpenAI-compatible server — Ollama: http://127.0.0.1:11434/v1, LM Studio: http://127.0.0.1:1234/v1, vLLM: ' +
  'http://HOST:8000/v1 — with CELLMATE_MODEL naming one of its models, then restart Cellmate.';

/**
 * The provider's status. When nothing is configured and `detect` is on, it looks for local servers first.
 *
 * @example
 *   await providerStatus(providerConfigFromEnv(), { detect: true })
 *   // → { configured: false, base_url: null, model: null, has_api_key: false, vision: false,
 *   //     detected: [{ name: 'Ollama', base_url: 'http://127.0.0.1:11434/v1', models: ['llama3.1'] }], help: 'Found Ollama …' }
 */
export async function providerStatus(
  config: ProviderConfig,
  options: { detect?: boolean; candidates?: readonly LocalServerCandidate[]; timeoutMs?: number } = {},
): Promise<ProviderStatus> {
  const problems = config.problems.length > 0 ? { problems: config.problems } : {};
  if (isConfigured(config)) {
    const baseURL = config.baseURL ?? OPENAI_BASE_URL;
    const model = config.model ?? (config.baseURL === null ? DEFAULT_OPENAI_MODEL : null);
    const help = `Using ${model ?? 'the first model the server lists'} at ${baseURL}. Change it with CELLMATE_MODEL and OPENAI_BASE_URL.`;
    return { configured: true, base_url: baseURL, model, has_api_key: config.apiKey !== null, vision: model ? supportsVision(model, config) : false, ...problems, help };
  }
  const base = { configured: false, base_url: null, model: null, has_api_key: false, vision: false, ...problems };
  if (!options.detect) return { ...base, help: `No model is configured; the notebook works fully without one. ${HOW_TO}` };
  const detected = await detectLocalServers(options);
  const first = detected[0];
  if (!first) return { ...base, detected, help: `No model is configured and no local server was found; the notebook works fully without one. ${HOW_TO}` };
  const models = first.models.length > 0 ? ` with ${first.models.slice(0, 5).join(', ')}` : ' (no models pulled yet)';
  const help = `Found ${first.name} at ${first.base_url}${models}. Use it, or start Cellmate with OPENAI_BASE_URL=${first.base_url} CELLMATE_MODEL=${first.models[0] ?? '<model>'}.`;
  return { ...base, detected, help };
}

export type { DetectedServer, ProviderStatus };
