/**
 * One `NotebookSession` per open notebook path, created on first use and shared by every tab, the REST API and
 * the agent. Concurrent opens of the same path get the same session.
 */
import type { NotebookDoc } from '../protocol/index.ts';
import type { KernelProvider } from '../kernels/types.ts';
import type { Workspace } from '../store/storage.ts';
import { NotebookSession, type SessionStore } from './notebook-session.ts';

export interface SessionManagerOptions {
  workspace: Workspace;
  kernels: KernelProvider;
  autosaveMs?: number;
}

export class SessionManager {
  readonly #options: SessionManagerOptions;
  readonly #sessions = new Map<string, Promise<NotebookSession>>();
  readonly #store: SessionStore;

  constructor(options: SessionManagerOptions) {
    this.#options = options;
    const { workspace } = options;
    this.#store = {
      save: async (path, doc) => (await workspace.writeNotebook(path, doc)).last_modified,
      listFiles: (folder) => workspace.listFiles(folder),
    };
  }

  /** The session of `path` (a workspace-relative notebook path), loading the file on first use. */
  open(path: string): Promise<NotebookSession> {
    const key = this.#options.workspace.normalize(path);
    let session = this.#sessions.get(key);
    if (!session) {
      session = this.#load(key);
      this.#sessions.set(key, session);
      session.catch(() => this.#sessions.delete(key));
    }
    return session;
  }

  /** An already open session, without loading anything. */
  async get(path: string): Promise<NotebookSession | undefined> {
    return this.#sessions.get(this.#options.workspace.normalize(path))?.catch(() => undefined);
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
  async close(path: string, options: { save?: boolean } = {}): Promise<void> {
    const key = this.#options.workspace.normalize(path);
    const session = this.#sessions.get(key);
    this.#sessions.delete(key);
    await (await session?.catch(() => undefined))?.dispose(options);
  }

  async dispose(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map(async (s) => (await s.catch(() => undefined))?.dispose()));
  }

  async #load(path: string): Promise<NotebookSession> {
    const { doc } = await this.#options.workspace.readNotebook(path);
    const options = { path, doc, kernels: this.#options.kernels, store: this.#store };
    return new NotebookSession(this.#options.autosaveMs === undefined ? options : { ...options, autosaveMs: this.#options.autosaveMs });
  }
}
