/**
 * Starts a whole Cellmate for a test: its own temp workspace, a free port, a random token, an embedded Jupyter
 * Server. `cleanup()` stops everything it started and removes the workspace.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPython, type Config } from '../../server/config.ts';
import { startCellmate, type RunningCellmate, type StartOptions } from '../../server/server.ts';

export interface TestCellmate extends RunningCellmate {
  token: string;
  workspace: string;
  /** fetch against the API with the token */
  api(path: string, init?: RequestInit): Promise<Response>;
  cleanup(): Promise<void>;
}

/**
 * `overrides.provider` configures the assistant (e.g. `providerConfigFromEnv({ OPENAI_BASE_URL: fake.baseURL, … })`);
 * without it the server reads `OPENAI_*`/`CELLMATE_MODEL` from `process.env`, as `npm start` does.
 * `options.localModelServers` replaces the local ports it probes when no model is configured;
 * `options.autosaveMs` (default 50) can hold changes unsaved on purpose; `options.fileSystem` (see
 * `faulty-disk.ts`) makes notebook writes fail like a full or read-only disk.
 */
export async function startTestCellmate(
  overrides: Partial<Config> = {},
  options: Pick<StartOptions, 'localModelServers' | 'autosaveMs' | 'fileSystem'> = {},
): Promise<TestCellmate> {
  const workspace = overrides.workspace ?? (await mkdtemp(join(tmpdir(), 'cellmate-test-')));
  const token = randomBytes(12).toString('hex');
  const config: Config = { port: 0, host: '127.0.0.1', token, workspace, python: process.env.CELLMATE_PYTHON ?? defaultPython(), ...overrides };
  const cellmate = await startCellmate(config, { autosaveMs: 50, log: () => {}, ...options });
  return {
    ...cellmate,
    token,
    workspace,
    api: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(`${cellmate.url}${path}`, { ...init, headers });
    },
    cleanup: async () => {
      await cellmate.close();
      if (!overrides.workspace) await rm(workspace, { recursive: true, force: true });
    },
  };
}

/** Waits for a condition, polling; fails with `what` after `timeoutMs`. Never a fixed sleep. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
