/**
 * Settings from the environment, validated once at start. The names are a public contract (README).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadKernelSettings, type KernelSettingsOverrides } from './kernels/kernel-config.ts';
import type { AgentLimits } from './agent/loop.ts';
import { providerConfigFromEnv, type ProviderConfig } from './agent/provider.ts';
import type { InputLimits } from './limits.ts';
import { normalizeHost } from './routes/host-check.ts';
import { normalizeBasePath } from './routes/base-path.ts';
import { hubSettingsFromEnv, type HubSettings } from './hub/hub-config.ts';

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  CELLMATE_PORT: port.default(8765),
  CELLMATE_HOST: z.string().min(1).default('127.0.0.1'),
  CELLMATE_TOKEN: z.string().min(1).optional(),
  CELLMATE_ALLOWED_HOSTS: z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
    .refine((entries) => entries.every((entry) => entry === '*' || normalizeHost(entry) !== undefined), 'each entry must be a host name, an address or *')
    .optional(),
  CELLMATE_WORKSPACE: z.string().min(1).default('./workspace'),
  CELLMATE_BASE_PATH: z
    .string()
    .transform((value, ctx) => {
      try {
        return normalizeBasePath(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    })
    .optional(),
  CELLMATE_PYTHON: z.string().min(1).optional(),
  CELLMATE_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(100 * 2 ** 20),
  CELLMATE_MAX_BODY_BYTES: z.coerce.number().int().min(1024).optional(),
  CELLMATE_MAX_NOTEBOOK_BYTES: z.coerce.number().int().min(1024).optional(),
  CELLMATE_MAX_CELLS: z.coerce.number().int().min(1).optional(),
  // A notebook itself nests 7 deep; past a thousand, schema checks and printing would overflow the stack.
  CELLMATE_MAX_JSON_DEPTH: z.coerce.number().int().min(10).max(1000).optional(),
  CELLMATE_AGENT_MAX_STEPS: z.coerce.number().int().min(1).max(500).optional(),
  CELLMATE_AGENT_CELL_TIMEOUT_MS: z.coerce.number().int().min(100).max(86_400_000).optional(),
  CELLMATE_AGENT_TURN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(86_400_000).optional(),
  CELLMATE_AGENT_MAX_TOKENS: z.coerce.number().int().min(1).optional(),
  CELLMATE_AUTOSAVE_MS: z.coerce.number().int().min(10).max(3_600_000).optional(),
  CELLMATE_INLINE_COMPLETION: z.enum(['off', 'chat', 'fim']).optional(),
  CELLMATE_INLINE_COMPLETION_MODEL: z.string().trim().min(1).max(200).optional(),
  JUPYTER_URL: z.url().optional(),
  JUPYTER_TOKEN: z.string().optional(),
  JUPYTER_GATEWAY: z
    .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off', 'auto'])
    .transform((v) => (v === 'auto' ? undefined : ['1', 'true', 'yes', 'on'].includes(v)))
    .optional(),
});

export interface Config {
  port: number;
  host: string;
  /** More names than `host` that requests may give in `Host` (`*`: any); see server/routes/host-check.ts. */
  allowedHosts?: string[];
  token: string;
  /** The path everything is served under (`CELLMATE_BASE_PATH`, or the hub's prefix), both slashes; `/` by default. */
  basePath?: string;
  /** Running as a JupyterHub single-user server: the hub's settings (from the spawner's environment). */
  hub?: HubSettings;
  /** Absolute path of the workspace folder. */
  workspace: string;
  python: string;
  /** Largest file `PUT /api/files/{path}` accepts (bytes). */
  maxUploadBytes?: number;
  /** Request bodies, WebSocket messages and notebooks (`CELLMATE_MAX_*`); what is not set keeps its default. */
  limits?: Partial<InputLimits>;
  /**
   * An existing Jupyter Server to use instead of the embedded one; `gateway`: it is a kernel gateway (kernels
   * only, e.g. Enterprise Gateway), asked of the server when absent.
   */
  jupyter?: { url: string; token: string; gateway?: boolean };
  /** Kernels: pool, timeouts, output caps, sandbox (`CELLMATE_KERNEL_*` and friends); defaults where absent. */
  kernels?: KernelSettingsOverrides;
  /** The assistant's model provider (`OPENAI_*`, `CELLMATE_MODEL`, `CELLMATE_LLM_*`); absent: read from `process.env` at start. */
  provider?: ProviderConfig;
  /** Bounds of an assistant turn (`CELLMATE_AGENT_*`); what is not set keeps its default. */
  agentLimits?: Partial<AgentLimits>;
  /** How long after the last change a notebook is saved (`CELLMATE_AUTOSAVE_MS`); absent: the sessions' default. */
  autosaveMs?: number;
  /** Ghost text in the editor (`CELLMATE_INLINE_COMPLETION`, `CELLMATE_INLINE_COMPLETION_MODEL`); off when absent. */
  inlineCompletion?: { mode?: 'off' | 'chat' | 'fim'; model?: string };
}

/** The hub's public name (`JUPYTERHUB_HOST`, set when the hub has one, e.g. with subdomains), as a host to answer to. */
function hubPublicHostName(hub: HubSettings | undefined): string[] {
  if (!hub?.publicHost) return [];
  try {
    return [new URL(hub.publicHost).host];
  } catch {
    return [];
  }
}

/** The Python that runs the embedded Jupyter Server: Debian's, where the kernel stack is installed. */
export function defaultPython(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const hub = hubSettingsFromEnv(env);
  if (hub && e.CELLMATE_BASE_PATH !== undefined && e.CELLMATE_BASE_PATH !== hub.prefix) {
    throw new Error(`Invalid configuration: CELLMATE_BASE_PATH (${e.CELLMATE_BASE_PATH}) differs from the hub's JUPYTERHUB_SERVICE_PREFIX (${hub.prefix}); leave it unset under JupyterHub`);
  }
  const allowedHosts = [...(e.CELLMATE_ALLOWED_HOSTS ?? []), ...hubPublicHostName(hub)];
  const config: Config = {
    // Under a hub, where its spawner says, unless CELLMATE_PORT / CELLMATE_HOST are set.
    port: env.CELLMATE_PORT === undefined && hub?.listen ? hub.listen.port : e.CELLMATE_PORT,
    host: env.CELLMATE_HOST === undefined && hub?.listen ? hub.listen.host : e.CELLMATE_HOST,
    basePath: hub?.prefix ?? e.CELLMATE_BASE_PATH ?? '/',
    ...(hub ? { hub } : {}),
    ...(allowedHosts.length > 0 ? { allowedHosts } : {}),
    token: e.CELLMATE_TOKEN ?? randomBytes(24).toString('hex'),
    workspace: resolve(e.CELLMATE_WORKSPACE),
    python: e.CELLMATE_PYTHON ?? defaultPython(),
    maxUploadBytes: e.CELLMATE_MAX_UPLOAD_BYTES,
    limits: {
      ...(e.CELLMATE_MAX_BODY_BYTES !== undefined ? { maxBodyBytes: e.CELLMATE_MAX_BODY_BYTES } : {}),
      ...(e.CELLMATE_MAX_NOTEBOOK_BYTES !== undefined ? { maxNotebookBytes: e.CELLMATE_MAX_NOTEBOOK_BYTES } : {}),
      ...(e.CELLMATE_MAX_CELLS !== undefined ? { maxCells: e.CELLMATE_MAX_CELLS } : {}),
      ...(e.CELLMATE_MAX_JSON_DEPTH !== undefined ? { maxJsonDepth: e.CELLMATE_MAX_JSON_DEPTH } : {}),
    },
    kernels: loadKernelSettings(env),
    ...(e.CELLMATE_AUTOSAVE_MS !== undefined ? { autosaveMs: e.CELLMATE_AUTOSAVE_MS } : {}),
  };
  const limits: Partial<AgentLimits> = {};
  if (e.CELLMATE_AGENT_MAX_STEPS !== undefined) limits.maxSteps = e.CELLMATE_AGENT_MAX_STEPS;
  if (e.CELLMATE_AGENT_CELL_TIMEOUT_MS !== undefined) limits.cellTimeoutMs = e.CELLMATE_AGENT_CELL_TIMEOUT_MS;
  if (e.CELLMATE_AGENT_TURN_TIMEOUT_MS !== undefined) limits.turnTimeoutMs = e.CELLMATE_AGENT_TURN_TIMEOUT_MS;
  if (e.CELLMATE_AGENT_MAX_TOKENS !== undefined) limits.maxTokens = e.CELLMATE_AGENT_MAX_TOKENS;
  config.agentLimits = limits;
  config.inlineCompletion = {
    ...(e.CELLMATE_INLINE_COMPLETION ? { mode: e.CELLMATE_INLINE_COMPLETION } : {}),
    ...(e.CELLMATE_INLINE_COMPLETION_MODEL ? { model: e.CELLMATE_INLINE_COMPLETION_MODEL } : {}),
  };
  // Invalid provider values don't stop the server: they show in the assistant's status (`problems`).
  config.provider = providerConfigFromEnv(env);
  if (e.JUPYTER_URL) {
    config.jupyter = { url: e.JUPYTER_URL, token: e.JUPYTER_TOKEN ?? '', ...(e.JUPYTER_GATEWAY !== undefined ? { gateway: e.JUPYTER_GATEWAY } : {}) };
  } else if (e.JUPYTER_GATEWAY) {
    throw new Error('Invalid configuration: JUPYTER_GATEWAY: needs JUPYTER_URL (the gateway to use)');
  }
  return config;
}
