/**
 * The assistant's part of a notebook's state, and how socket messages change it. Pure (the store applies the
 * results), so the rules are tested in node. The saved conversation lives in the document's metadata; this
 * holds what only exists while the server runs: the turns this tab saw live, which turn is running, which
 * turns can be undone.
 */
import type { AgentEvent } from '../../../server/protocol/agent.ts';
import { CellId } from '../../../server/protocol/ids.ts';
import type { AgentState, ExternalTurn } from '../../../server/protocol/messages.ts';
import { foldAgentEvent, type TurnView } from './agent-turns.ts';

export interface AgentView {
  /** The turn running on the server, if any. */
  running: string | null;
  /** Turns that can still be undone (newest last). */
  undoable: string[];
  /** Undoable turns of agents outside Cellmate (MCP clients), with what each changed so far. */
  external: ExternalTurn[];
  /** Turns seen live by this tab, by id; they are shown instead of their saved record (same content, richer). */
  live: Record<string, TurnView>;
  /** Ids of `live`, in the order the turns started. */
  liveOrder: string[];
  /** A prompt was sent and its turn has not started yet. */
  sending: boolean;
  /** Stop was sent and the turn has not ended yet. */
  stopping: boolean;
  /** The cell the assistant is working on, to keep in sight. `seq` grows with each move so the same cell twice still scrolls. */
  focus: { cellId: CellId; seq: number } | null;
}

export function emptyAgentView(): AgentView {
  return { running: null, undoable: [], external: [], live: {}, liveOrder: [], sending: false, stopping: false, focus: null };
}

function withTurn(view: AgentView, turn: TurnView): Pick<AgentView, 'live' | 'liveOrder'> {
  return {
    live: { ...view.live, [turn.id]: turn },
    liveOrder: view.liveOrder.includes(turn.id) ? view.liveOrder : [...view.liveOrder, turn.id],
  };
}

function foldAll(events: readonly AgentEvent[]): TurnView | undefined {
  return events.reduce<TurnView | undefined>(foldAgentEvent, undefined);
}

/** A cell id in a tool call's arguments (`edit_cell`, `run_cell`, `delete_cell` name their cell `id`). */
function argumentCell(event: AgentEvent): string | null {
  if (event.type !== 'tool_call' || event.name === 'delete_cell') return null;
  const { args } = event;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return null;
  const id = args['id'];
  return typeof id === 'string' ? id : null;
}

function nextFocus(view: AgentView, event: AgentEvent): AgentView['focus'] {
  const id = event.type === 'cell_changed' && event.change !== 'deleted' ? event.cell_id : argumentCell(event);
  if (id === null || !CellId.is(id)) return view.focus;
  return { cellId: id, seq: (view.focus?.seq ?? 0) + 1 };
}

/**
 * The state after a (re)connect: the server's running turn is rebuilt from its events so far (a tab opened
 * mid-turn shows all of it); turns this tab saw finish stay; a turn this tab thought running but the server
 * no longer runs ended while we were away, and its saved record takes over.
 */
export function agentOnSnapshot(view: AgentView, agent: AgentState): AgentView {
  const live: Record<string, TurnView> = {};
  for (const id of view.liveOrder) {
    const turn = view.live[id];
    if (turn && turn.state !== 'running') live[id] = turn;
  }
  let next: AgentView = { ...view, live, liveOrder: view.liveOrder.filter((id) => id in live), running: agent.running?.turn ?? null, undoable: agent.undoable, external: agent.external ?? [], sending: false, stopping: false };
  const running = agent.running && foldAll(agent.running.events);
  if (running) next = { ...next, ...withTurn(next, running) };
  return next;
}

/** One live event of a turn (every tab gets every event). */
export function agentOnEvent(view: AgentView, event: AgentEvent): AgentView {
  const turn = foldAgentEvent(view.live[event.turn], event);
  const next: AgentView = { ...view, ...withTurn(view, turn), focus: nextFocus(view, event) };
  if (event.type === 'turn_start') return { ...next, running: event.turn, sending: false };
  if (event.type === 'done') return { ...next, running: view.running === event.turn ? null : view.running, stopping: false, sending: false };
  return next;
}

/** The server's summary changed (a turn started or ended, a turn was undone). */
export function agentOnState(view: AgentView, agent: AgentState): AgentView {
  const next: AgentView = { ...view, running: agent.running?.turn ?? null, undoable: agent.undoable, external: agent.external ?? [] };
  if (!next.running) next.stopping = false;
  // A turn we have not heard of (its first events came before this tab listened): take its events so far.
  if (agent.running && !view.live[agent.running.turn]) {
    const turn = foldAll(agent.running.events);
    if (turn) return { ...next, ...withTurn(next, turn) };
  }
  return next;
}

/**
 * The turns to show: the saved conversation in order, each replaced by its live view when this tab has one,
 * then live turns not saved yet (the running one, or one whose record is on its way). A live turn saved in
 * another of the notebook's conversations (`elsewhere`) is that one's.
 */
export function visibleTurns(saved: readonly TurnView[], view: Pick<AgentView, 'live' | 'liveOrder'>, elsewhere: ReadonlySet<string> = new Set()): TurnView[] {
  const savedIds = new Set([...saved.map((turn) => turn.id), ...elsewhere]);
  const merged = saved.map((turn) => view.live[turn.id] ?? turn);
  for (const id of view.liveOrder) {
    const turn = view.live[id];
    if (turn && !savedIds.has(id)) merged.push(turn);
  }
  return merged;
}
