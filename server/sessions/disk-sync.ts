/**
 * Keeps one open notebook and its file on disk honest with each other. It remembers the version of the file it
 * last read or wrote; a save writes only if the file is still that version, and a change by another program
 * (noticed by a folder watch, or by that save-time check) either reloads the notebook — when nothing here is
 * unsaved — or becomes a `DiskConflict` that a person settles. Nothing is overwritten silently, and our own
 * saves never look like someone else's (their version is recorded as they are written).
 *
 * Saves, checks and reloads run one at a time, in order, so a check never sees a save half done.
 */
import type { DiskConflict, NotebookDoc, ServerMessage } from '../protocol/index.ts';
import { BadRequest, Conflict, DiskChanged } from '../errors.ts';
import type { FileVersion } from '../store/file-version.ts';

/** The notebook's file, as the session reaches it (the workspace in production, a fake in tests). */
export interface NotebookFile {
  read(): Promise<{ doc: NotebookDoc; version: FileVersion }>;
  /** The version on disk now, `null` when there is no file; `known` lets an unchanged file skip hashing. */
  version(known: FileVersion | null): Promise<FileVersion | null>;
  /** Writes only if the disk still holds `expected`, else throws `DiskChanged`. */
  write(doc: NotebookDoc, expected: FileVersion | null): Promise<{ last_modified: string; version: FileVersion }>;
  /** Writes `doc` as a new file beside this one, named with `suffix`; resolves with its path. */
  copy(doc: NotebookDoc, suffix: string): Promise<string>;
  /** Calls `onChange` when the file may have changed; returns the function that stops watching. */
  watch(onChange: () => void): () => void;
}

/** What the sync needs from its session. */
export interface DiskSyncHost {
  hasUnsavedChanges(): boolean;
  /** Replaces the document with the disk's, leaving nothing to save. */
  reload(doc: NotebookDoc): void;
  send(message: ServerMessage): void;
  onError(error: unknown): void;
}

/** A save refused because a conflict is open: the changes stay pending until a person chooses. */
export class SaveBlocked extends Conflict {
  constructor(path: string) {
    super(`${path} changed on disk: choose "keep mine" or "load from disk" before it can be saved`);
  }
}

export class DiskSync {
  readonly #file: NotebookFile;
  readonly #host: DiskSyncHost;
  readonly #path: () => string;
  #known: FileVersion | null;
  #conflict: DiskConflict | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #unwatch: () => void;

  constructor(options: { file: NotebookFile; known: FileVersion | null; host: DiskSyncHost; path: () => string }) {
    this.#file = options.file;
    this.#known = options.known;
    this.#host = options.host;
    this.#path = options.path;
    this.#unwatch = this.#file.watch(() => void this.check().catch(this.#host.onError));
  }

  get conflict(): DiskConflict | null {
    return this.#conflict;
  }

  /** Writes `doc` if the file is still ours; resolves with its new modification time (ISO). */
  save(doc: () => NotebookDoc): Promise<string> {
    return this.#serial(async () => {
      if (this.#conflict) throw new SaveBlocked(this.#path());
      try {
        const written = await this.#file.write(doc(), this.#known);
        this.#known = written.version;
        return written.last_modified;
      } catch (error) {
        if (!(error instanceof DiskChanged)) throw error;
        await this.#examine();
        throw new SaveBlocked(this.#path());
      }
    });
  }

  /** Looks at the file again (after a watch event): reloads, or opens a conflict, if someone else changed it. */
  check(): Promise<void> {
    return this.#serial(() => this.#examine());
  }

  /**
   * Settles the open conflict; resolves with whether there was one (a late second click must not turn into an
   * unchecked overwrite). `keep_mine`: the disk's version becomes the one a save may replace (the caller then
   * saves). `load_disk`: the notebook becomes the disk's version; refused when the file was deleted.
   */
  resolve(choice: 'keep_mine' | 'load_disk'): Promise<boolean> {
    return this.#serial(async () => {
      if (!this.#conflict) return false;
      if (choice === 'keep_mine') {
        this.#known = await this.#file.version(this.#known);
      } else {
        const current = await this.#file.version(this.#known);
        if (!current) throw new BadRequest(`${this.#path()} no longer exists on disk: there is nothing to load`);
        await this.#reload();
      }
      this.#setConflict(null);
      return true;
    });
  }

  /**
   * Keeps what a person typed when the notebook closes (server shutdown) with a conflict still open: this
   * version is written beside the file instead of over it. Resolves with the copy's path.
   */
  async rescue(doc: NotebookDoc): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const copy = await this.#file.copy(doc, `unsaved ${stamp}`);
    this.#host.onError(new Error(`${this.#path()} had a conflict with its file on disk; its unsaved version was written to ${copy}`));
    return copy;
  }

  dispose(): void {
    this.#unwatch();
  }

  async #examine(): Promise<void> {
    const current = await this.#file.version(this.#known);
    if (current !== null && this.#known !== null && current.sha256 === this.#known.sha256) {
      this.#known = current; // touched, copied or rewritten with the same bytes: not a change
      return;
    }
    if (current === null && this.#known === null) return;
    if (current === null) {
      this.#setConflict({ disk: 'deleted' });
      return;
    }
    if (this.#conflict || this.#host.hasUnsavedChanges()) {
      this.#setConflict({ disk: 'modified', last_modified: new Date(current.mtimeMs).toISOString() });
      return;
    }
    await this.#reload();
  }

  async #reload(): Promise<void> {
    const { doc, version } = await this.#file.read();
    this.#known = version;
    this.#host.reload(doc);
  }

  #setConflict(conflict: DiskConflict | null): void {
    if (conflict === null && this.#conflict === null) return;
    this.#conflict = conflict;
    this.#host.send({ type: 'conflict', conflict });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
