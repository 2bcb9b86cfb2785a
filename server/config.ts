/**
 * Settings from the environment, validated once at start. The names are a public contract (README).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  CELLMATE_PORT: port.default(8765),
  CELLMATE_HOST: z.string().min(1).default('127.0.0.1'),
  CELLMATE_TOKEN: z.string().min(1).optional(),
  CELLMATE_WORKSPACE: z.string().min(1).default('./workspace'),
  CELLMATE_PYTHON: z.string().min(1).optional(),
  CELLMATE_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(100 * 2 ** 20),
  JUPYTER_URL: z.url().optional(),
  JUPYTER_TOKEN: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  token: string;
  /** Absolute path of the workspace folder. */
  workspace: string;
  python: string;
  /** Largest file `PUT /api/files/{path}` accepts (bytes). */
  maxUploadBytes?: number;
  /** An existing Jupyter Server to use instead of the embedded one. */
  jupyter?: { url: string; token: string };
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
  const config: Config = {
    port: e.CELLMATE_PORT,
    host: e.CELLMATE_HOST,
    token: e.CELLMATE_TOKEN ?? randomBytes(24).toString('hex'),
    workspace: resolve(e.CELLMATE_WORKSPACE),
    python: e.CELLMATE_PYTHON ?? defaultPython(),
    maxUploadBytes: e.CELLMATE_MAX_UPLOAD_BYTES,
  };
  if (e.JUPYTER_URL) config.jupyter = { url: e.JUPYTER_URL, token: e.JUPYTER_TOKEN ?? '' };
  return config;
}
