/**
 * The assistant of one notebook: runs at most one agent turn at a time on the notebook session, tells every tab
 * what happens (`{ type: 'agent', event }`, and the running turn's events in the snapshot for a tab that opens
 * mid-turn), keeps the conversation in the notebook's metadata, and undoes turns and settles reviews on request.
 */
import {
  attachedNames,
  conversationsFromMetadata,
  withConversations,
  type AgentEvent,
  type AgentRequest,
  type AgentState,
  type AttachedName,
  type CellDoc,
  type CellId,
  type ConversationEntry,
  type EditSource,
  type ExternalTurn,
  type NotebookDoc,
  type NotebookEdit,
  type ServerMessage,
  type TurnLog,
} from '../protocol/index.ts';
import { compactConversation } from '../agent/conversation.ts';
import { newTurnId, runAgentTurn, type AgentLimits, type AgentTurnResult } from '../agent/loop.ts';
import type { ProviderErrorInfo } from '../agent/provider-errors.ts';
import { isTurnProvider, type ProviderSettings } from '../agent/provider-settings.ts';
import { metadataWithoutReview, reviewOf } from '../agent/review.ts';
import type { AgentNotebook } from '../agent/types.ts';
import { CellNotFound, Conflict, NotFound } from '../errors.ts';
import { recordingNotebook, TurnRecord, UndoHistory } from './agent-undo.ts';
import { keepEvent } from './agent-events.ts';
import { checkTurnRequest, prepareTurn } from '../agent/one-click.ts';
import type { ContextSources } from '../agent/attachments.ts';
import type { RunningEvaluator } from '../agent/variable-peek.ts';
import type { ProjectFiles } from '../agent/project-files.ts';
import { TurnLogRecorder, type TurnLogStore } from '../agent/turn-logs.ts';
import { newConversationId } from './conversation-ops.ts';

/**
 * What the runner needs of its notebook session (`NotebookSession` has it all). Unlike the agent's view of the
 * notebook, every edit names its source: the runner applies the agent's own as `agent` (see `agentNotebook`).
 */
export interface AgentSession extends Omit<AgentNotebook, 'applyEdits'> {
  applyEdits(edits: NotebookEdit[], source: EditSource): NotebookDoc;
  readonly agentState: AgentState;
  setAgentState(agent: AgentState): void;
  broadcast(message: ServerMessage): void;
  /** The running kernel only, never starting one: variables attached by name and a Fix's variables. */
  evaluateIfRunning?: RunningEvaluator;
  /** Runs cells as a person's run does: an accepted Fix runs its cell. */
  execute?(ids: readonly CellId[]): Promise<unknown>;
}

export interface AgentRunnerOptions {
  provider: ProviderSettings;
  limits?: Partial<AgentLimits>;
  /** Turns kept for undo (default 20). */
  undoLimit?: number;
  onError?: (error: unknown) => void;
  /** Reads the start of a workspace file through the workspace's path checks (files attached by name). */
  readFileStart?: ContextSources['readFileStart'];
  /** The project's rules for the system prompt (none without it). */
  files?: ProjectFiles;
  /** Where what each turn sent to the model is kept (nowhere without it; the running turn's is in memory). */
  turnLogs?: TurnLogStore;
}

/** A turn that was started: its id at once, its result when it ends (it never rejects). */
export interface StartedTurn {
  turn: string;
  result: Promise<AgentTurnResult>;
}

interface RunningTurn {
  turn: string;
  /** The conversation the turn continues (made when the notebook had none). */
  conversation: string;
  log: TurnLogRecorder;
  controller: AbortController;
  /** Shared with `agentState.running.events`: the snapshot reads it, the runner appends to it. */
  events: AgentEvent[];
  result: Promise<AgentTurnResult>;
}

export class AgentRunner {
  readonly #session: AgentSession;
  readonly #options: AgentRunnerOptions;
  readonly #undo: UndoHistory;
  /** The client's name for each turn kept by `keepTurn`. */
  readonly #clients = new Map<string, string>();
  #running: RunningTurn | null = null;
  /** Ended turns' logs still being written. */
  readonly #unwrittenLogs = new Map<string, TurnLog>();
  readonly #writes = new Set<Promise<void>>();
  #disposed = false;

  constructor(session: AgentSession, options: AgentRunnerOptions) {
    this.#session = session;
    this.#options = options;
    this.#undo = new UndoHistory(options.undoLimit ?? 20);
  }

  /** The id of the turn running now, or null. */
  get runningTurn(): string | null {
    return this.#running?.turn ?? null;
  }

  /** The conversation the running turn continues, or null. */
  get runningConversation(): string | null {
    return this.#running?.conversation ?? null;
  }

  /** What a turn sent to the model: the running turn's so far, or an ended one's as kept; null when not kept. */
  async turnLog(turn: string): Promise<TurnLog | null> {
    if (this.#running?.turn === turn) return this.#running.log.snapshot();
    const unwritten = this.#unwrittenLogs.get(turn);
    if (unwritten) return unwritten;
    return (await this.#options.turnLogs?.read(turn)) ?? null;
  }

  /** Writes an ended turn's log in the background, answering for it from memory until it is on disk. */
  #keepLog(log: TurnLog): void {
    const store = this.#options.turnLogs;
    if (!store) return;
    this.#unwrittenLogs.set(log.turn, log);
    const writing = store
      .write(log)
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
        this.#unwrittenLogs.delete(log.turn);
        this.#writes.delete(writing);
      });
    this.#writes.add(writing);
  }

  /**
   * Starts a turn. Throws `Conflict` (409) while another turn runs in this notebook. `onEvent` gets every event
   * too (an SSE stream); whatever it throws, the turn goes on, and every tab still sees it.
   *
   * @example
   *   const { turn, result } = runner.prompt({ prompt: 'Plot sales by region' }, (event) => stream.write(event));
   */
  prompt(request: AgentRequest, onEvent?: (event: AgentEvent) => void): StartedTurn {
    if (this.#disposed) throw new Conflict(`${this.#session.path} is closing; the assistant can't start a turn`);
    if (this.#running) {
      throw new Conflict(`The assistant is already working in ${this.#session.path} (turn ${this.#running.turn}): wait for it to finish or stop it first`);
    }
    checkTurnRequest(request, this.#session.doc());
    const turn = newTurnId();
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    const conversation = conversationsFromMetadata(this.#session.doc().metadata).active ?? newConversationId();
    const log = new TurnLogRecorder({ turn, notebook: this.#session.path, conversation, model: request.model ?? '' });
    const deliver = (event: AgentEvent) => {
      keepEvent(events, event);
      this.#session.broadcast({ type: 'agent', event });
      // The tabs hear of the running turn once they know its prompt (`turn_start` first, then the state).
      if (event.type === 'turn_start') this.#publish();
      try {
        onEvent?.(event);
      } catch (error) {
        // A listener that went away (a closed stream) must not end the turn for the tabs that still watch it.
        this.#options.onError?.(error);
      }
    };
    // `done` is held until the turn is over for the runner (see `#run`): whoever hears it, a tab or an SSE client,
    // may start the next turn at once, and must not be refused because this one still counts as running.
    let done: AgentEvent | null = null;
    const emit = (event: AgentEvent) => {
      if (event.type === 'done') done = event;
      else deliver(event);
    };
    const sendDone = () => {
      if (done) deliver(done);
    };
    // The turn starts on the next microtask, once it is known as running: its first event finds it there.
    const result = Promise.resolve().then(() => this.#run(turn, conversation, log, request, controller.signal, emit, sendDone));
    this.#running = { turn, conversation, log, controller, events, result };
    return { turn, result };
  }

  /** Stops the running turn at once; false when none runs. */
  stop(): boolean {
    if (!this.#running || this.#running.controller.signal.aborted) return false;
    this.#running.controller.abort();
    return true;
  }

  /**
   * Keeps a turn made outside this runner (an MCP client's, see server/mcp/) undoable like the assistant's own.
   * Call it after each change the turn makes: the record goes on growing, and stays one step.
   */
  keepTurn(record: TurnRecord, client: string): void {
    if (record.isEmpty) return;
    this.#clients.set(record.turn, client);
    if (this.#undo.get(record.turn) !== record) this.#undo.add(record);
    // Every change, not just the first: the tabs show what the turn changed so far.
    this.#publish();
  }

  /** Turns that can be undone, oldest first. */
  get undoable(): string[] {
    return this.#undo.turns();
  }

  /**
   * Puts the cells a turn added, edited or deleted back as they were before it, as one step. Throws `NotFound`
   * for a turn that is not (or no longer) undoable, `Conflict` while a turn runs.
   */
  undo(turn: string, source: EditSource): void {
    if (this.#running) throw new Conflict(`Wait for the assistant's turn ${this.#running.turn} to end (or stop it) before undoing a turn`);
    const record = this.#undo.get(turn);
    if (!record) throw new NotFound(`Turn ${turn} can't be undone: only the last turns since the server started can`);
    const edits = record.undoEdits(this.#session.doc());
    if (edits.length > 0) this.#session.applyEdits(edits, source);
    this.#undo.delete(turn);
    this.#publish();
  }

  /**
   * Settles the review of the agent's edit to a person's cell: `accept` keeps the new source, `reject` puts the
   * previous one back; either way the mark goes. Answers with the cell as it is then.
   */
  review(cellId: CellId, decision: 'accept' | 'reject', source: EditSource): CellDoc {
    const cell = this.#session.doc().cells.find((c) => c.id === cellId);
    if (!cell) throw new CellNotFound(`No cell with id ${cellId} in ${this.#session.path}`);
    const review = reviewOf(cell);
    if (!review) throw new Conflict(`Cell ${cellId} has no change of the assistant waiting for review`);
    const edits: NotebookEdit[] = [{ type: 'set_cell_metadata', id: cell.id, metadata: metadataWithoutReview(cell) }];
    if (decision === 'reject') edits.unshift({ type: 'set_source', id: cell.id, source: review.previous_source });
    const doc = this.#session.applyEdits(edits, source);
    // A Fix proposed by the assistant runs once accepted, as a person's run.
    if (decision === 'accept' && review.run_on_accept) this.#session.execute?.([cell.id]).catch((error: unknown) => this.#options.onError?.(error));
    return doc.cells.find((c) => c.id === cellId) ?? cell;
  }

  /** Stops a running turn and waits until it has ended (its conversation stored, its log written). */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const running = this.#running;
    if (running) {
      running.controller.abort();
      await running.result;
    }
    await Promise.all(this.#writes);
  }

  #contextSources(): ContextSources {
    const session = this.#session;
    const evaluate = session.evaluateIfRunning;
    return {
      doc: () => session.doc(),
      ...(this.#options.readFileStart ? { readFileStart: this.#options.readFileStart } : {}),
      ...(evaluate ? { evaluateIfRunning: evaluate.bind(session) } : {}),
    };
  }

  #publish(): void {
    const running = this.#running;
    const undoable = this.undoable;
    for (const turn of this.#clients.keys()) if (!undoable.includes(turn)) this.#clients.delete(turn);
    const external: ExternalTurn[] = [];
    for (const turn of undoable) {
      const client = this.#clients.get(turn);
      const record = this.#undo.get(turn);
      if (client !== undefined && record) external.push({ turn, client, ...record.counts() });
    }
    this.#session.setAgentState({
      ...(running ? { running: { turn: running.turn, events: running.events } } : {}),
      undoable,
      ...(external.length > 0 ? { external } : {}),
    });
  }

  /** Runs a turn; `emit` holds back its `done`, which `sendDone` delivers once the turn is released. */
  async #run(
    turn: string,
    conversation: string,
    log: TurnLogRecorder,
    request: AgentRequest,
    signal: AbortSignal,
    emit: (event: AgentEvent) => void,
    sendDone: () => void,
  ): Promise<AgentTurnResult> {
    const session = this.#session;
    const history = conversationsFromMetadata(session.doc().metadata).conversations.find((c) => c.id === conversation)?.entries ?? [];
    const record = new TurnRecord(turn, session.doc());
    let result: AgentTurnResult;
    try {
      const provider = await this.#options.provider.prepare(request.model, signal);
      if (signal.aborted) {
        // Stopped while the model was being chosen (a slow local server listing its models).
        result = endEarly(turn, request, session.doc(), 'aborted', emit);
      } else if (!isTurnProvider(provider)) {
        result = endEarly(turn, request, session.doc(), provider, emit);
      } else {
        const rules = this.#options.files ? (await this.#options.files.rules()).text : '';
        log.model = provider.model;
        const setup = await prepareTurn(request, recordingNotebook(agentNotebook(session), record), this.#contextSources());
        result = await runAgentTurn({
          client: provider.client,
          model: provider.model,
          notebook: setup.notebook,
          tools: setup.tools,
          context: setup.context,
          history,
          prompt: request.prompt,
          attached: requestAttached(request, session.doc()),
          signal,
          ...(this.#options.limits ? { limits: this.#options.limits } : {}),
          onEvent: emit,
          turnId: turn,
          vision: provider.vision,
          baseURL: provider.baseURL,
          maxRetries: provider.maxRetries,
          isChosenAtRuntime: provider.isChosenAtRuntime,
          rules,
          log,
        });
      }
    } catch (error) {
      // `runAgentTurn` reports its own failures; this is for a failure around it, so the tabs still get `done`.
      this.#options.onError?.(error);
      result = endEarly(turn, request, session.doc(), { code: 'unknown', message: `The assistant failed: ${error instanceof Error ? error.message : String(error)}` }, emit);
    }
    try {
      this.#store(conversation, result.entries);
      this.#undo.add(record);
    } finally {
      // Before `done` is heard and the result resolves (either may start the next turn at once), whatever happened.
      this.#running = null;
      this.#publish();
      sendDone();
    }
    this.#keepLog(log.snapshot());
    return result;
  }

  /** One edit: the prompt is kept even when the turn failed, so the conversation shows what was asked. */
  #store(id: string, entries: readonly ConversationEntry[]): void {
    try {
      // Read again: the conversations may have been renamed, switched or added to while the turn ran.
      const metadata = this.#session.doc().metadata;
      const state = conversationsFromMetadata(metadata);
      const existing = state.conversations.find((c) => c.id === id);
      const conversations = existing
        ? state.conversations.map((c) => (c.id === id ? { ...c, entries: compactConversation([...c.entries, ...entries]) } : c))
        : [...state.conversations, { id, title: '', created_at: new Date().toISOString(), entries: compactConversation([...entries]) }];
      this.#session.applyEdits([{ type: 'set_notebook_metadata', metadata: withConversations(metadata, { conversations, active: state.active ?? id }) }], 'agent');
    } catch (error) {
      this.#options.onError?.(error);
    }
  }
}

/** The session as the agent's tools see it: their edits are the assistant's. */
export function agentNotebook(session: AgentSession): AgentNotebook {
  return {
    path: session.path,
    doc: () => session.doc(),
    applyEdits: (edits) => void session.applyEdits(edits, 'agent'),
    runCell: (id, options) => session.runCell(id, options),
    interrupt: () => session.interrupt(),
    evaluateSilently: (code, options) => session.evaluateSilently(code, options),
    listFiles: () => session.listFiles(),
  };
}

/**
 * A turn that ends before reaching the model: nothing configured or no model to use (start, error, done), or
 * stopped while the model was being chosen (start, done).
 */
function endEarly(turn: string, request: AgentRequest, doc: NotebookDoc, why: ProviderErrorInfo | 'aborted', emit: (event: AgentEvent) => void): AgentTurnResult {
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const stop_reason = why === 'aborted' ? 'aborted' : 'error';
  const names = requestAttached(request, doc);
  const attached = names.length > 0 ? { attached: names } : {};
  emit({ type: 'turn_start', turn, model: request.model ?? '', prompt: request.prompt, ...attached });
  if (why !== 'aborted') emit({ type: 'error', turn, ...why });
  emit({ type: 'done', turn, reply: '', cells_changed: [], usage, stopped: true, stop_reason });
  const user: ConversationEntry = { kind: 'user', turn, text: request.prompt, at: new Date().toISOString(), ...attached };
  const end: ConversationEntry = { kind: 'turn_end', turn, usage, cells_changed: [], stop_reason, ...(why === 'aborted' ? {} : { error: why.message }) };
  const result: AgentTurnResult = { turn, reply: '', cells_changed: [], usage, stopped: true, stop_reason, entries: [user, end] };
  return why === 'aborted' ? result : { ...result, error: why };
}

/** The names of what the prompt attached, cells numbered as the notebook is now (as the person's chips were). */
function requestAttached(request: AgentRequest, doc: NotebookDoc): AttachedName[] {
  return attachedNames(request.context ?? [], doc.cells.map((cell) => cell.id));
}
