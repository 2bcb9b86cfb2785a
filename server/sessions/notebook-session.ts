/**
 * One open notebook: the authoritative document, the per-cell runtime, the kernel, the open tabs and the
 * agent's access. Every change goes through `applyEdit` and is broadcast to every tab in the server's order.
 */
import {
  applyEdit,
  applyEdits,
  EditError,
  type AgentState,
  type CellId,
  type CellRuntime,
  type ClientId,
  type DiskConflict,
  type EditOrigin,
  type EditSource,
  type KernelInfo,
  type NotebookDoc,
  type NotebookEdit,
  type Output,
  type ServerMessage,
} from '../protocol/index.ts';
import type { AgentNotebook, RunCellOptions } from '../agent/types.ts';
import type { ExecutionResult, InputRequest, KernelHandle, KernelProvider } from '../kernels/types.ts';
import { CellNotFound, errorMessage } from '../errors.ts';
import { Autosaver } from '../store/autosave.ts';
import type { FileVersion } from '../store/file-version.ts';
import { Broadcaster, type Subscriber } from './broadcaster.ts';
import { DiskSync, SaveBlocked, type NotebookFile } from './disk-sync.ts';
import { SessionKernel, type KernelIntrospection } from './session-kernel.ts';
import { CellRuns } from './cell-runs.ts';
import { displayUpdateTargets } from './display-updates.ts';
import { PendingInputs } from './stdin.ts';
import { TextAuthority, type TextRequest } from './text-authority.ts';
import type { CellRunSummary, NotebookSessionOptions, SessionStore } from './session-options.ts';

export type { CellRunSummary, NotebookSessionOptions, SessionStore };
import { changeOf, hasCellOperation, PersonHistory, type PersonSource } from './person-undo.ts';

/** How a failed save is tried again: after a second, then twice as long each time, at most every 15 s. */
const SAVE_RETRY = { firstMs: 1000, maxMs: 15_000 };

export class NotebookSession {
  readonly path: string;
  #doc: NotebookDoc;
  readonly #tabs = new Broadcaster();
  readonly #store: SessionStore;
  readonly #kernel: SessionKernel;
  readonly #autosaver: Autosaver;
  readonly #onError: (error: unknown) => void;
  #disposed = false;
  /** Why the latest save failed, until one works again (shown to tabs that open meanwhile). */
  #saveError: string | null = null;
  #agentState: AgentState = { undoable: [] };
  readonly #beforeDispose: (() => Promise<void>)[] = [];
  readonly #runs: CellRuns;
  readonly #disk: DiskSync | undefined;
  /** People's cell operations, for undo and redo (see person-undo.ts). */
  readonly #history = new PersonHistory();
  /** Each cell's text version and latest changes: tabs' typing is rebased here (see text-authority.ts). */
  readonly #text: TextAuthority;
  /** `input()` requests of running cells, answered from a tab (see stdin.ts). */
  readonly #inputs = new PendingInputs({
    hasTabs: () => this.#tabs.size > 0,
    show: (id, input) => {
      const runtime = this.#runs.runtimeOf(id);
      if (runtime?.status !== 'running') return;
      const next: CellRuntime = { ...runtime };
      if (input) next.input = input;
      else delete next.input;
      this.#runs.set(id, next);
    },
  });

  constructor(options: NotebookSessionOptions) {
    this.path = options.path;
    this.#doc = options.doc;
    this.#store = options.store;
    this.#text = new TextAuthority(options.textLog === undefined ? {} : { maxLog: options.textLog });
    const delayMs = options.autosaveMs ?? 500;
    this.#autosaver = new Autosaver({
      delayMs,
      // Under non-stop typing a change still reaches the disk within a second (twice the quiet time).
      maxWaitMs: 2 * delayMs,
      save: () => this.#save(),
      // A full or read-only disk: the changes stay here and saving resumes by itself once the disk takes them.
      // A conflict waits for a person instead.
      retry: { ...SAVE_RETRY, shouldRetry: (error) => !(error instanceof SaveBlocked) },
      onError: (error, retryInMs) => {
        // A conflict was already shown to the tabs; repeating it on every change would only be noise.
        if (error instanceof SaveBlocked) return;
        this.#saveFailed(error, retryInMs);
      },
    });
    this.#runs = new CellRuns({
      apply: (edits) => this.#applyQuietly(edits),
      send: (message) => this.#tabs.send(message),
      flushMs: options.outputFlushMs ?? 50,
      onEnd: (id) => this.#inputs.cancel(id),
      metadataOf: (id) => this.#doc.cells.find((cell) => cell.id === id)?.metadata,
    });
    this.#onError = options.onError ?? ((error) => console.error(`[${this.path}]`, error));
    this.#disk = options.file && this.#createDiskSync(options.file.access, options.file.version);
    this.#kernel = new SessionKernel({
      provider: options.kernels,
      notebookPath: options.path,
      kernelName: () => kernelspecName(this.#doc),
      onInfo: (kernel) => this.#tabs.send({ type: 'kernel', kernel }),
      listener: this.#runs.listener,
      // A display shown by an earlier cell and updated now: that cell's outputs change (coalesced like outputs).
      onDisplayUpdate: (update) => {
        const pending = (id: CellId) => this.#runs.pendingOutputs(id);
        const targets = displayUpdateTargets(this.#doc, update, { pending, skip: (id) => this.#runs.isRunning(id) });
        for (const { id, outputs } of targets) this.#runs.queueOutputs(id, outputs);
      },
    });
  }

  doc(): NotebookDoc {
    return this.#doc;
  }

  get kernelInfo(): KernelInfo {
    return this.#kernel.info;
  }

  get tabCount(): number {
    return this.#tabs.size;
  }

  runtimeOf(id: CellId): CellRuntime {
    return this.#runs.runtimeOf(id) ?? { status: 'idle' };
  }

  /** Adds a tab: it gets a snapshot now and every change from then on. The kernel starts warming up. */
  connect(subscriber: Subscriber): () => void {
    subscriber.send(this.snapshot(subscriber.clientId));
    const remove = this.#tabs.add(subscriber);
    this.#kernel.warmUp();
    return () => {
      remove();
      // Nobody is left to answer a waiting input(): it gets EOF rather than waiting forever.
      if (this.#tabs.size === 0) this.#inputs.cancelAll();
    };
  }

  snapshot(clientId: ClientId): ServerMessage {
    return {
      type: 'snapshot',
      client_id: clientId,
      path: this.path,
      doc: this.#doc,
      runtime: this.#runs.all(),
      kernel: this.#kernel.info,
      agent: this.#agentState,
      ...(this.#disk?.conflict ? { conflict: this.#disk.conflict } : {}),
      ...(this.#saveError === null ? {} : { save_error: this.#saveError }),
      text_versions: this.#text.versions(),
    };
  }

  /** Changes not written to disk yet (pending, being written, or held back by a conflict). */
  get hasUnsavedChanges(): boolean {
    return this.#autosaver.hasUnsavedChanges || this.#runs.hasPendingOutputs;
  }

  /** The open conflict with the file on disk, if any. */
  get conflict(): DiskConflict | null {
    return this.#disk?.conflict ?? null;
  }

  /** Settles a conflict with the file on disk: overwrite it with this notebook, or take the disk's version. */
  async resolveConflict(choice: 'keep_mine' | 'load_disk'): Promise<void> {
    if (!(await this.#disk?.resolve(choice))) return;
    if (choice === 'keep_mine') {
      this.#autosaver.schedule();
      await this.flush();
    }
  }

  /** The assistant's state as tabs see it; the agent runner keeps it current. */
  get agentState(): AgentState {
    return this.#agentState;
  }

  setAgentState(agent: AgentState): void {
    this.#agentState = agent;
    this.#tabs.send({ type: 'agent_state', agent });
  }

  /** Runs `hook` first when the session is disposed, e.g. to end an agent turn so its edits are saved too. */
  beforeDispose(hook: () => Promise<void>): void {
    this.#beforeDispose.push(hook);
  }

  /** Sends a message to every open tab (agent events). */
  broadcast(message: ServerMessage): void {
    this.#tabs.send(message);
  }

  /**
   * Applies edits as one step (all or none: an `EditError` leaves the document untouched), broadcasts them and
   * schedules a save. `source` says who made them (the assistant's review and undo go by it).
   */
  applyEdits(edits: NotebookEdit[], source: EditSource, origin?: EditOrigin): NotebookDoc {
    const next = applyEdits(this.#doc, edits);
    const max = this.#store.maxCells;
    // Grown past what can be opened again, it would be saved and then refused: refused now, while nothing is lost.
    if (max !== undefined && next.cells.length > max && next.cells.length > this.#doc.cells.length) {
      throw new EditError('too_many_cells', `A notebook may have at most ${max.toLocaleString('en')} cells (CELLMATE_MAX_CELLS)`);
    }
    // A whole-text set_source reaches the tabs as its minimal change too, which they rebase their typing over.
    const texts = this.#text.record(this.#doc, edits);
    this.#doc = next;
    edits.forEach((edit, i) => {
      for (const update of texts[i]!) this.#tabs.send(update);
      this.#tabs.send(origin ? { type: 'edit', edit, source, origin } : { type: 'edit', edit, source });
    });
    for (const edit of edits) if (edit.type === 'delete_cell') this.#runs.forget(edit.id);
    // A new document (PUT over the notebook): the people's steps were taken on another one.
    if (edits.some((edit) => edit.type === 'replace_document')) this.#history.clear();
    this.#scheduleSave();
    return this.#doc;
  }

  /**
   * A person's operation (a tab or the REST API): applied, and kept as one undo step when it inserts, deletes,
   * moves or retypes cells (typing is not: the cell's editor has its own undo). It clears what could be redone.
   * With `group` (unique to one tab), consecutive calls of that group are one step, text-only ones included.
   */
  applyPersonEdits(edits: NotebookEdit[], source: PersonSource, origin?: EditOrigin, group?: string): NotebookDoc {
    const before = this.#doc;
    const after = this.applyEdits(edits, source, origin);
    if (group !== undefined) this.#history.recordGroup(group, before, after, edits);
    else if (hasCellOperation(edits)) this.#history.record(changeOf(before, after, edits));
    return after;
  }

  /** Undoes the newest person's operation, as one step; false if none is left (the assistant's turns are apart). */
  undo(source: PersonSource): boolean {
    return this.#history.undo(this.#doc, (edits) => this.applyEdits(edits, source));
  }

  /** Does again what the last undo took back; false when there is nothing to redo. */
  redo(source: PersonSource): boolean {
    return this.#history.redo(this.#doc, (edits) => this.applyEdits(edits, source));
  }

  /**
   * Runs cells in order through the notebook's queue; resolves when all have ended (or were aborted). With
   * `stdin` (a run a person started from a tab) `input()` is answered from the tabs; otherwise it fails at once.
   */
  async execute(ids: readonly CellId[], options: { stdin?: boolean } = {}): Promise<CellRunSummary[]> {
    const cells = ids.map((id) => this.#cell(id));
    // As in JupyterLab, running an empty code cell just clears it; the kernel never sees it.
    const empty = cells.filter((cell) => cell.cell_type === 'code' && cell.source.trim() === '').map((cell) => cell.id);
    if (empty.length > 0) this.applyEdits([{ type: 'clear_outputs', ids: empty }], 'kernel');
    const runs = cells.filter((cell) => cell.cell_type === 'code' && cell.source.trim() !== '').map((cell) => ({ id: cell.id, code: cell.source }));
    const results = new Map<CellId, ExecutionResult>();
    const stdin = options.stdin ? { onInput: (id: CellId, request: InputRequest) => this.#inputs.ask(id, request) } : undefined;
    if (runs.length > 0) for (const [id, result] of await this.#kernel.run(runs, stdin)) results.set(id, result);
    return cells.map((cell) => {
      const result = results.get(cell.id);
      if (!result) return { id: cell.id, execution_count: null, status: 'ok', outputs: [] };
      const summary: CellRunSummary = { id: cell.id, execution_count: result.execution_count, status: result.status, outputs: result.outputs };
      return result.message ? { ...summary, message: result.message } : summary;
    });
  }

  /**
   * The agent's run: the timeout counts from when the cell starts (not while it waits in the queue or for the
   * kernel to start); a timeout or an abort interrupts it if it runs, or takes it out of the queue if it waits.
   */
  async runCell(id: CellId, options: RunCellOptions): Promise<ExecutionResult & { timedOut?: boolean }> {
    const cell = this.#cell(id);
    if (cell.cell_type !== 'code') return { status: 'ok', execution_count: null, outputs: [] };
    let timedOut = false;
    let started = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = (reason: string) => {
      if (started) void this.interrupt().catch(this.#onError);
      else this.#kernel.cancel(id, reason);
    };
    const onAbort = () => stop('Stopped before it ran');
    if (options.signal?.aborted) return { status: 'aborted', execution_count: null, outputs: [], message: 'Stopped before it ran' };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const results = await this.#kernel.run([{ id, code: cell.source }], {
        onStart: () => {
          started = true;
          timer = setTimeout(() => {
            timedOut = true;
            stop('Timed out');
          }, options.timeoutMs);
        },
      });
      const result = results.get(id) ?? { status: 'aborted' as const, execution_count: null, outputs: [] };
      return timedOut ? { ...result, timedOut } : result;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** A tab's typed changes or its catching up (`text_update`, `text_pull`); what only it must hear goes to `reply`. */
  receiveText(request: TextRequest, reply: (message: ServerMessage) => void): void {
    const answer = this.#text.answer(request, this.#cell(request.cell_id).source);
    if ('reply' in answer) return reply(answer.reply);
    if (answer.accepted.length === 0) return;
    this.#doc = applyEdit(this.#doc, { type: 'set_source', id: request.cell_id, source: answer.text });
    for (const update of answer.accepted) this.#tabs.send(update);
    this.#scheduleSave();
  }

  /** A tab's answer to a cell's `input()`; false when that cell is not waiting (any more). */
  answerInput(id: CellId, value: string): boolean {
    return this.#inputs.answer(id, value);
  }

  interrupt(): Promise<void> {
    return this.#kernel.interrupt();
  }

  /** Restarts the kernel; the queue reports the cells it ends or drops (`aborted`, "Kernel restarted"). */
  restart(): Promise<void> {
    return this.#kernel.restart();
  }

  /**
   * Restart and run all, as one operation: the kernel restarts first (whatever was queued is dropped), then every
   * code cell runs in document order, so no cell can run against the old kernel's state.
   */
  async restartAndRunAll(options: { stdin?: boolean } = {}): Promise<CellRunSummary[]> {
    await this.restart();
    const ids = this.#doc.cells.filter((cell) => cell.cell_type === 'code').map((cell) => cell.id);
    return ids.length > 0 ? this.execute(ids, options) : [];
  }

  /** Completions and documentation for the editors, from the kernel if one runs (never starting one). */
  get introspection(): KernelIntrospection { return this.#kernel; }

  evaluateSilently(code: string, options: { timeoutMs: number }): Promise<{ stdout: string; error?: string }> {
    return this.#kernel.evaluate(code, options);
  }

  /** Silent code in the kernel that runs now, never starting one (see `SessionKernel.evaluateIfRunning`). */
  evaluateIfRunning(code: string, options: { timeoutMs: number }): ReturnType<SessionKernel['evaluateIfRunning']> {
    return this.#kernel.evaluateIfRunning(code, options);
  }

  listFiles(): ReturnType<AgentNotebook['listFiles']> {
    const slash = this.path.lastIndexOf('/');
    return this.#store.listFiles(slash < 0 ? '' : this.path.slice(0, slash));
  }

  /** Writes pending changes now (awaits a save in progress first). */
  async flush(): Promise<void> {
    this.#runs.flush();
    await this.#autosaver.flush();
  }

  /**
   * Saves what is unsaved (unless `save: false`), shuts the kernel down and drops the tabs, telling them why
   * first when `farewell` is given (their sockets are then closed).
   */
  async dispose(options: { save?: boolean; farewell?: ServerMessage } = {}): Promise<void> {
    if (this.#disposed) return;
    await Promise.all(this.#beforeDispose.splice(0).map((hook) => hook().catch(this.#onError)));
    this.#disk?.dispose();
    if (options.save !== false) {
      this.#runs.flush();
      await this.#autosaver.dispose().catch(async (error: unknown) => {
        if (error instanceof SaveBlocked && this.#disk) await this.#disk.rescue(this.#doc).catch(this.#onError);
        else this.#onError(error);
      });
    }
    this.#disposed = true;
    this.#runs.dispose();
    await this.#kernel.dispose();
    if (options.farewell) {
      this.#tabs.send(options.farewell);
      this.#tabs.closeAll(4404, options.farewell.type);
    }
    this.#tabs.clear();
  }

  #cell(id: CellId) {
    const cell = this.#doc.cells.find((c) => c.id === id);
    if (!cell) throw new CellNotFound(`No cell with id ${id} in ${this.path}`);
    return cell;
  }

  /** Kernel-driven edits target cells the user may have deleted meanwhile: those are dropped, not errors. */
  #applyQuietly(edits: NotebookEdit[]): void {
    const live = edits.filter((edit) => !('id' in edit) || this.#doc.cells.some((c) => c.id === edit.id));
    if (live.length > 0) this.applyEdits(live, 'kernel');
  }

  #scheduleSave(): void {
    if (!this.#disposed) this.#autosaver.schedule();
  }

  async #save(): Promise<void> {
    // A notebook closed without saving (deleted) must not be written back by a timer that was already armed.
    if (this.#disposed) return;
    const last_modified = this.#disk ? await this.#disk.save(() => this.#doc) : await this.#store.save(this.path, this.#doc);
    this.#saveError = null;
    this.#tabs.send({ type: 'saved', last_modified });
  }

  /** Tells the tabs (and the log, once per reason) that saving fails, and when it is tried again. */
  #saveFailed(error: unknown, retryInMs: number | undefined): void {
    const again = retryInMs === undefined ? '' : ' Your changes are kept here, and saving is tried again by itself.';
    const message = `Could not save ${this.path}: ${errorMessage(error)}${again}`;
    if (message !== this.#saveError) this.#onError(error);
    this.#saveError = message;
    this.#tabs.send(retryInMs === undefined ? { type: 'save_failed', message } : { type: 'save_failed', message, retry_in_ms: retryInMs });
  }

  #createDiskSync(file: NotebookFile, version: FileVersion | null): DiskSync {
    return new DiskSync({
      file,
      known: version,
      path: () => this.path,
      host: {
        hasUnsavedChanges: () => this.hasUnsavedChanges,
        // The disk's version replaces the document as one edit every tab applies; it is not saved back.
        reload: (doc) => {
          this.#autosaver.discard();
          const edit = { type: 'replace_document', doc } as const;
          for (const update of this.#text.record(this.#doc, [edit])[0]!) this.#tabs.send(update);
          this.#doc = applyEdits(this.#doc, [edit]);
          this.#tabs.send({ type: 'edit', edit, source: 'system' });
          this.#runs.retain((id) => doc.cells.some((cell) => cell.id === id));
          this.#history.clear();
        },
        send: (message) => this.#tabs.send(message),
        onError: (error) => this.#onError(error),
      },
    });
  }
}

function kernelspecName(doc: NotebookDoc): string | undefined {
  const spec = doc.metadata['kernelspec'];
  if (spec && typeof spec === 'object' && !Array.isArray(spec) && typeof spec['name'] === 'string') return spec['name'];
  return undefined;
}

export type { KernelHandle };
