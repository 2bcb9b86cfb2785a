/**
 * One `NotebookSession` per open notebook path, created on first use and shared by every tab, the REST API and
 * the agent. Concurrent opens of the same path get the same session. File operations that move or delete open
 * notebooks go through `moving`/`deleting`, so a session never writes a deleted notebook back nor keeps saving
 * to a name that is gone.
 */
import type { NotebookDoc, ServerMessage } from '../protocol/index.ts';
import type { KernelProvider } from '../kernels/types.ts';
import type { AgentLimits } from '../agent/loop.ts';
import { providerConfigFromEnv } from '../agent/provider.ts';
import { ProviderSettings } from '../agent/provider-settings.ts';
import { BadRequest, Conflict } from '../errors.ts';
import { removeStaleTempFiles } from '../store/atomic-write.ts';
import type { FileVersion } from '../store/file-version.ts';
import { readFileStart } from '../store/file-start.ts';
import { watchFile } from '../store/file-watch.ts';
import type { Workspace } from '../store/storage.ts';
import { AgentRunner } from './agent-runner.ts';
import { ProjectFiles } from '../agent/project-files.ts';
import { TurnLogStore } from '../agent/turn-logs.ts';
import type { NotebookFile } from './disk-sync.ts';
import { NotebookSession, type SessionStore } from './notebook-session.ts';

export interface SessionManagerOptions {
  workspace: Workspace;
  kernels: KernelProvider;
  autosaveMs?: number;
  /** Notice changes other programs make to open notebooks' files (default true). */
  watchFiles?: boolean;
  /** The assistant's model provider and limits; without it the assistant is not configured. */
  agent?: { provider: ProviderSettings; limits?: Partial<AgentLimits> };
}

/** `path` is `prefix` or lies below it (`a/b.ipynb` is under `a`, `ab.ipynb` is not). */
function isUnder(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

export class SessionManager {
  readonly #options: SessionManagerOptions;
  readonly #sessions = new Map<string, Promise<NotebookSession>>();
  readonly #store: SessionStore;
  /** File operations in progress: opens of paths under them wait until they end. */
  readonly #barriers = new Set<{ prefixes: string[]; done: Promise<void> }>();
  readonly #runners = new WeakMap<NotebookSession, AgentRunner>();
  /** The assistant's model provider, shared by every notebook. */
  readonly agentProvider: ProviderSettings;
  /** The assistant's rules and price table in `.cellmate/`. */
  readonly projectFiles: ProjectFiles;
  /** What each turn sent to the model, in `.cellmate/turns/`. */
  readonly turnLogs: TurnLogStore;

  constructor(options: SessionManagerOptions) {
    this.#options = options;
    // Without settings of its own the assistant is not configured, and no local port is probed.
    this.agentProvider = options.agent?.provider ?? new ProviderSettings({ base: providerConfigFromEnv({}), localServers: [] });
    const { workspace } = options;
    this.projectFiles = new ProjectFiles(workspace);
    this.turnLogs = new TurnLogStore(this.projectFiles.folder);
    this.#store = {
      save: async (path, doc) => (await workspace.writeNotebook(path, doc)).last_modified,
      listFiles: (folder) => workspace.listFiles(folder),
      maxCells: workspace.limits.maxCells,
    };
  }

  /** The session of `path` (a workspace-relative notebook path), loading the file on first use. */
  open(path: string): Promise<NotebookSession> {
    const key = this.#options.workspace.normalize(path);
    let session = this.#sessions.get(key);
    if (!session) {
      const waits = [...this.#barriers].filter((b) => b.prefixes.some((prefix) => isUnder(key, prefix))).map((b) => b.done);
      session = waits.length > 0 ? Promise.all(waits).then(() => this.#load(key)) : this.#load(key);
      this.#sessions.set(key, session);
      session.catch(() => this.#sessions.delete(key));
    }
    return session;
  }

  /** An already open session, without loading anything. */
  async get(path: string): Promise<NotebookSession | undefined> {
    return this.#sessions.get(this.#options.workspace.normalize(path))?.catch(() => undefined);
  }

  /** The assistant of an open session, created on first use (one per session). */
  agentRunner(session: NotebookSession): AgentRunner {
    const existing = this.#runners.get(session);
    if (existing) return existing;
    const limits = this.#options.agent?.limits;
    const runner = new AgentRunner(session, {
      provider: this.agentProvider,
      ...(limits ? { limits } : {}),
      onError: (error) => console.error(`[${session.path}] agent:`, error),
      files: this.projectFiles,
      turnLogs: this.turnLogs,
      readFileStart: (path, maxBytes) => readFileStart(this.#options.workspace, path, maxBytes),
    });
    this.#runners.set(session, runner);
    // However the session ends (closed, moved, deleted), a running turn ends first and its edits are saved.
    session.beforeDispose(() => runner.dispose());
    return runner;
  }

  /** Creates a session for a document that is not on disk yet (or replaces what is) and saves it. */
  async create(path: string, doc: NotebookDoc): Promise<NotebookSession> {
    const key = this.#options.workspace.normalize(path);
    const existing = await this.get(key);
    if (existing) {
      existing.applyEdits([{ type: 'replace_document', doc }], 'api');
      await existing.flush();
      return existing;
    }
    await this.#options.workspace.writeNotebook(key, doc);
    return this.open(key);
  }

  /** Closes a session: saves unless told not to, shuts its kernel down. */
  async close(path: string, options: { save?: boolean; farewell?: ServerMessage } = {}): Promise<void> {
    const key = this.#options.workspace.normalize(path);
    const session = this.#sessions.get(key);
    this.#sessions.delete(key);
    await (await session?.catch(() => undefined))?.dispose(options);
  }

  /**
   * Runs `move` (a rename of `from` to `to`, a notebook or a folder) with the open notebooks under `from` saved
   * first; refused (`Conflict`) while one of them has a conflict with its file. After the move each of them is
   * closed and its tabs told the new path; a change that slipped in meanwhile is written at the new path.
   */
  async moving<T>(from: string, to: string, move: () => Promise<T>): Promise<T> {
    const [source, target] = [this.#options.workspace.normalize(from), this.#options.workspace.normalize(to)];
    if (source === '' || target === '') throw new BadRequest("Can't move the workspace folder itself");
    return this.#exclusive([source, target], async () => {
      const affected = await this.#openUnder(source);
      for (const [, session] of affected) {
        if (session.conflict) throw new Conflict(`${session.path} has a conflict with its file on disk: settle it before moving it`);
        await session.flush();
      }
      const result = await move();
      for (const [key, session] of affected) {
        const path = target + key.slice(source.length);
        this.#sessions.delete(key);
        if (session.hasUnsavedChanges) await this.#options.workspace.writeNotebook(path, session.doc()).catch(() => undefined);
        await session.dispose({ save: false, farewell: { type: 'closed', reason: 'moved', path } });
      }
      return result;
    });
  }

  /**
   * Runs `remove` (a delete of `path`, a notebook or a folder) after closing the open notebooks under it —
   * saved first, so a failed delete loses nothing, and closed before, so none can write its file back.
   */
  async deleting<T>(path: string, remove: () => Promise<T>): Promise<T> {
    const key = this.#options.workspace.normalize(path);
    // Refused before any session is closed: "everything under the top folder" is every open notebook.
    if (key === '') throw new BadRequest("Can't delete the workspace folder itself");
    return this.#exclusive([key], async () => {
      for (const [sessionKey, session] of await this.#openUnder(key)) {
        this.#sessions.delete(sessionKey);
        await session.dispose({ save: session.conflict === null, farewell: { type: 'closed', reason: 'deleted' } });
      }
      return remove();
    });
  }

  async dispose(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map(async (s) => (await s.catch(() => undefined))?.dispose()));
  }

  async #openUnder(prefix: string): Promise<[string, NotebookSession][]> {
    const found: [string, NotebookSession][] = [];
    for (const [key, pending] of this.#sessions) {
      if (!isUnder(key, prefix)) continue;
      const session = await pending.catch(() => undefined);
      if (session) found.push([key, session]);
    }
    return found;
  }

  async #exclusive<T>(prefixes: string[], task: () => Promise<T>): Promise<T> {
    let release = () => {};
    const barrier = { prefixes, done: new Promise<void>((resolve) => (release = resolve)) };
    this.#barriers.add(barrier);
    try {
      return await task();
    } finally {
      this.#barriers.delete(barrier);
      release();
    }
  }

  async #load(path: string): Promise<NotebookSession> {
    const { workspace, kernels, autosaveMs } = this.#options;
    const { doc, version } = await workspace.readNotebook(path);
    // Resolved now so the watch is in place before anyone can see the session.
    const real = await workspace.resolve(path);
    // A server killed in the middle of a save left a temp file beside the notebook: it goes as the notebook opens.
    await removeStaleTempFiles(real);
    const options = { path, doc, kernels, store: this.#store, file: { access: this.#notebookFile(path, real), version } };
    return new NotebookSession(autosaveMs === undefined ? options : { ...options, autosaveMs });
  }

  #notebookFile(path: string, real: string): NotebookFile {
    const { workspace } = this.#options;
    return {
      read: async () => {
        const { doc, version } = await workspace.readNotebook(path);
        return { doc, version };
      },
      version: (known) => workspace.notebookVersion(path, known),
      write: (doc, expected: FileVersion | null) => workspace.writeNotebook(path, doc, { expected }),
      copy: async (doc, suffix) => {
        const copy = path.replace(/\.ipynb$/, ` (${suffix}).ipynb`);
        await workspace.writeNotebook(copy, doc, { expected: null });
        return copy;
      },
      // The real folder is watched: inotify reports events where the file really is, not through links.
      watch: (onChange) =>
        this.#options.watchFiles === false ? () => {} : watchFile(real, onChange, (error) => console.warn(`Not watching ${path} for changes: ${String(error)}`)),
    };
  }
}
