/**
 * Starts a whole Cellmate: the Jupyter side (embedded server or `JUPYTER_URL`), the sessions, the Hono app and
 * its HTTP/WebSocket listener. `server/main.ts` runs it for `npm start`; integration and browser tests start
 * their own, each with its own port and workspace.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerType } from '@hono/node-server';
import type { Config } from './config.ts';
import { resolveKernelSettings } from './kernels/kernel-config.ts';
import { startKernelRuntime, type KernelRuntime } from './kernels/runtime.ts';
import { SessionManager } from './sessions/session-manager.ts';
import { providerConfigFromEnv, providerStatus, type LocalServerCandidate } from './agent/provider.ts';
import { ProviderSettings } from './agent/provider-settings.ts';
import { InlineCompleter } from './agent/inline-completion.ts';
import type { WriteFileSystem } from './store/atomic-write.ts';
import { Workspace } from './store/storage.ts';
import { resolveLimits } from './limits.ts';
import { listen } from './listen.ts';
import { ensureStateFolder } from './store/state-folder.ts';
import { createApp } from './routes/app.ts';
import { underBasePath } from './routes/base-path.ts';
import { HubOAuth } from './hub/hub-oauth.ts';
import { ActivityReporter } from './hub/activity.ts';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface RunningCellmate {
  /** Base URL, e.g. `http://127.0.0.1:8765` (without the base path) */
  url: string;
  /** The URL to open in a browser: under the base path, with the token (under a hub: without, the hub logs in). */
  openUrl: string;
  port: number;
  /** The HTTP/WebSocket listener (tests watch its upgrades to cut a tab's connection as a network would). */
  listener: ServerType;
  config: Config;
  sessions: SessionManager;
  /** The Jupyter Server, kernel pool and sandbox behind the sessions. */
  kernels: KernelRuntime;
  /** Saves every open notebook, shuts kernels down, stops Jupyter (if embedded) and the listener. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Serve the built UI from here (default: `web/dist` of this repository). */
  webDist?: string;
  /** Overrides `config.autosaveMs` (tests). */
  autosaveMs?: number;
  log?: (message: string) => void;
  /** Where the assistant looks for local model servers when none is configured (default: Ollama, LM Studio). */
  localModelServers?: readonly LocalServerCandidate[];
  /** Notebooks are written through this (default: Node's file system; tests make it fail like a full disk). */
  fileSystem?: WriteFileSystem;
}

export async function startCellmate(config: Config, options: StartOptions = {}): Promise<RunningCellmate> {
  const log = options.log ?? ((message: string) => process.stderr.write(`cellmate: ${message}\n`));
  await mkdir(config.workspace, { recursive: true });
  const stateFolder = await ensureStateFolder(config.workspace);

  const kernelRuntime = await startKernelRuntime({
    python: config.python,
    workspace: config.workspace,
    ...(config.jupyter ? { remote: config.jupyter } : {}),
    settings: resolveKernelSettings(config.kernels),
    log,
  });
  const kernels = kernelRuntime.kernels;
  const limits = resolveLimits(config.limits);
  const workspace = new Workspace(config.workspace, { limits, ...(options.fileSystem ? { fileSystem: options.fileSystem } : {}) });
  const provider = new ProviderSettings({
    base: config.provider ?? providerConfigFromEnv(process.env),
    // The runtime choice of endpoint and model; the API key is never written there.
    file: join(stateFolder, 'settings.json'),
    ...(options.localModelServers ? { localServers: options.localModelServers } : {}),
  });
  await provider.load();
  // The status without probing local ports (that waits for the panel): which model, or how to configure one.
  log(`assistant: ${(await providerStatus(provider.config)).help}`);
  // Ghost text from the same provider; the mode chosen in the page is kept in the same file.
  const inlineCompleter = new InlineCompleter({ provider, file: join(stateFolder, 'settings.json'), ...config.inlineCompletion });
  await inlineCompleter.load();
  const agent = { provider, ...(config.agentLimits ? { limits: config.agentLimits } : {}) };
  const autosaveMs = options.autosaveMs ?? config.autosaveMs;
  const sessions = new SessionManager(autosaveMs === undefined ? { workspace, kernels, agent } : { workspace, kernels, agent, autosaveMs });
  const webDist = options.webDist ?? join(repoRoot, 'web', 'dist');
  const hosts = { bindHost: config.host, allowedHosts: config.allowedHosts ?? [] };
  const basePath = config.basePath ?? '/';
  const hub = config.hub ? new HubOAuth(config.hub) : undefined;
  const activity =
    config.hub?.activityUrl === undefined
      ? undefined
      : new ActivityReporter({ url: config.hub.activityUrl, apiToken: config.hub.apiToken, serverName: config.hub.serverName, intervalMs: config.hub.activityIntervalSeconds * 1000, log });
  const app = createApp({
    token: config.token,
    sessions,
    workspace,
    webDist,
    kernelRuntime,
    limits,
    hosts,
    inlineCompleter,
    basePath,
    ...(hub ? { hub } : {}),
    ...(activity ? { onActivity: () => activity.notice() } : {}),
    ...(config.maxUploadBytes ? { maxUploadBytes: config.maxUploadBytes } : {}),
  });

  const listener = await listen({ fetch: underBasePath(app.fetch, basePath) }, { host: config.host, port: config.port, maxMessageBytes: limits.maxBodyBytes });
  const { port } = listener;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      activity?.dispose();
      await listener.close();
      await sessions.dispose();
      await kernelRuntime.dispose();
    })());

  const openUrl = hub ? `${url}${basePath}` : `${url}${basePath}?token=${encodeURIComponent(config.token)}`;
  return { url, openUrl, port, listener: listener.server, config, sessions, kernels: kernelRuntime, close };
}
