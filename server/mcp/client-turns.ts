/**
 * What one MCP session does in each notebook is one turn of an external agent: its edits go through the
 * notebook's session as the assistant's do (source `agent`, live in every tab), its cells are marked with the
 * client's name, and the turn is kept undoable in one step by the notebook's `AgentRunner`, like a turn of the
 * built-in assistant. The turn id stays the same for the whole MCP session; once a person undoes the turn, the
 * client's next change starts a new record under that id.
 */
import type { CellId } from '../protocol/index.ts';
import { newTurnId } from '../agent/loop.ts';
import type { ToolContext } from '../agent/tools/types.ts';
import type { AgentNotebook } from '../agent/types.ts';
import { agentNotebook } from '../sessions/agent-runner.ts';
import { recordingNotebook, TurnRecord } from '../sessions/agent-undo.ts';
import type { NotebookSession } from '../sessions/notebook-session.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { ExternalAuthor } from './batch-edits.ts';

/** A notebook as one MCP session works on it. */
export interface ClientNotebook {
  session: NotebookSession;
  /** Edits through it are the client's turn: recorded for undo, attributed to the agent. */
  notebook: AgentNotebook;
  author: ExternalAuthor;
}

export interface ContextOptions {
  signal: AbortSignal;
  cellTimeoutMs: number;
  outputChars: number;
}

export class ClientTurns {
  readonly #sessions: SessionManager;
  readonly #client: () => string;
  /** Per notebook path: the turn id, and the record of the session it was made in. */
  readonly #turns = new Map<string, { turn: string; session: NotebookSession; record: TurnRecord }>();

  /** `client` names the MCP client (asked at each call: it is known once `initialize` arrived). */
  constructor(sessions: SessionManager, client: () => string) {
    this.#sessions = sessions;
    this.#client = client;
  }

  /** The notebook at `path` (a workspace path), opened if it is not. */
  async open(path: string): Promise<ClientNotebook> {
    const session = await this.#sessions.open(path);
    const runner = this.#sessions.agentRunner(session);
    let entry = this.#turns.get(session.path);
    // A turn undone (or dropped from the history) records anew; so does a notebook closed and opened again.
    const isKept = (record: TurnRecord) => record.isEmpty || runner.undoable.includes(record.turn);
    if (!entry || entry.session !== session || !isKept(entry.record)) {
      const turn = entry?.turn ?? newTurnId();
      entry = { turn, session, record: new TurnRecord(turn, session.doc()) };
      this.#turns.set(session.path, entry);
    }
    const { record } = entry;
    const recorded = recordingNotebook(agentNotebook(session), record);
    const client = this.#client();
    const notebook: AgentNotebook = {
      ...recorded,
      applyEdits(edits) {
        recorded.applyEdits(edits);
        runner.keepTurn(record, client);
      },
    };
    return { session, notebook, author: { turn: entry.turn, client } };
  }

  /** What the built-in assistant's tool handlers need, for this client's turn in `notebook`. */
  context(target: ClientNotebook, options: ContextOptions): ToolContext {
    return {
      notebook: target.notebook,
      turn: target.author.turn,
      model: target.author.client,
      signal: options.signal,
      cellTimeoutMs: options.cellTimeoutMs,
      outputChars: options.outputChars,
      vision: true,
      cellChanged: (_id: CellId) => {},
      seen: new Map(),
    };
  }
}
