/**
 * A turn of the assistant as the chat panel shows it, built two ways that must read the same: folded from the
 * live `AgentEvent`s (`foldAgentEvent`), or from the compact record the notebook keeps
 * (`turnsFromConversation`). Pure and free of Solid: tested in node.
 */
import type { AgentErrorCode, AgentEvent, AgentStopReason, ConversationEntry, TokenUsage } from '../../../server/protocol/agent.ts';
import { CellId } from '../../../server/protocol/ids.ts';
import type { JSONValue } from '../../../server/protocol/notebook.ts';
import type { AttachedName } from '../../../server/protocol/agent-context.ts';

export type TurnState = 'running' | 'done' | 'stopped' | 'error';

/** `writing`: the model is still writing the call's arguments; `cancelled`: the turn ended before it finished. */
export type StepStatus = 'writing' | 'running' | 'ok' | 'error' | 'cancelled';

/** One tool call. */
export interface TurnStep {
  kind: 'step';
  /** Stable within the turn, for keyed rendering. */
  key: string;
  callId: string | null;
  name: string;
  /** The parsed arguments (live turns only). */
  args: JSONValue | null;
  /** The arguments as text: written so far (live) or the short form the notebook keeps (saved). */
  argsText: string;
  status: StepStatus;
  summary: string | null;
  /** The cell the call added, edited or ran, as reported by `cell_changed`. */
  cellId: CellId | null;
}

/** A stretch of the reply between tool calls. */
export interface TurnText {
  kind: 'text';
  key: string;
  text: string;
}

export type TurnItem = TurnText | TurnStep;

export interface TurnError {
  /** `null` for a saved turn: the notebook keeps the message only. */
  code: AgentErrorCode | null;
  message: string;
}

export interface TurnView {
  id: string;
  prompt: string;
  model: string | null;
  state: TurnState;
  items: TurnItem[];
  usage: TokenUsage | null;
  /** Model requests whose usage was not reported: `usage` is then a lower bound. */
  unreportedUsage: number;
  error: TurnError | null;
  stopReason: AgentStopReason | null;
  cellsChanged: CellId[];
  /** When the prompt was sent (ISO), when known. */
  at: string | null;
  /** The names of what the prompt attached (files, variables, cells). */
  attached: AttachedName[];
}

export function emptyTurn(id: string): TurnView {
  return { id, prompt: '', model: null, state: 'running', items: [], usage: null, unreportedUsage: 0, error: null, stopReason: null, cellsChanged: [], at: null, attached: [] };
}

function endState(stopped: boolean, stopReason: AgentStopReason | null, error: TurnError | null): TurnState {
  if (stopReason === 'error' || error) return 'error';
  return stopped ? 'stopped' : 'done';
}

function replaceStep(items: TurnItem[], index: number, change: Partial<TurnStep>): TurnItem[] {
  const step = items[index];
  if (!step || step.kind !== 'step') return items;
  const next = items.slice();
  next[index] = { ...step, ...change };
  return next;
}

function lastIndexWhere(items: readonly TurnItem[], test: (step: TurnStep) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.kind === 'step' && test(item)) return i;
  }
  return -1;
}

function newStep(key: string, name: string, change: Partial<TurnStep>): TurnStep {
  return { kind: 'step', key, callId: null, name, args: null, argsText: '', status: 'running', summary: null, cellId: null, ...change };
}

function appendText(items: TurnItem[], text: string): TurnItem[] {
  const last = items.at(-1);
  if (last?.kind === 'text') return [...items.slice(0, -1), { ...last, text: last.text + text }];
  return [...items, { kind: 'text', key: `t${items.length}`, text }];
}

/**
 * Folds one event into its turn (`undefined` before the first). Text deltas are concatenated, a tool call is
 * paired with the arguments streamed before it and with its result by `call_id`, usage is replaced (it is
 * cumulative), and `done` closes the turn: later events of the same turn change nothing.
 *
 * @example
 *   const turn = events.reduce<TurnView | undefined>(foldAgentEvent, undefined);
 */
export function foldAgentEvent(turn: TurnView | undefined, event: AgentEvent): TurnView {
  const current = turn ?? emptyTurn(event.turn);
  if (current.state !== 'running') return current;
  const { items } = current;
  switch (event.type) {
    case 'turn_start':
      return { ...current, prompt: event.prompt, model: event.model, attached: event.attached ?? [] };
    case 'text_delta':
      return event.text ? { ...current, items: appendText(items, event.text) } : current;
    case 'tool_call_delta': {
      const key = `d${event.step}:${event.index}`;
      const index = items.findIndex((item) => item.key === key);
      const existing = items[index];
      if (existing?.kind === 'step') {
        return { ...current, items: replaceStep(items, index, { name: event.name ?? existing.name, argsText: existing.argsText + event.arguments_delta }) };
      }
      return { ...current, items: [...items, newStep(key, event.name ?? '', { status: 'writing', argsText: event.arguments_delta })] };
    }
    case 'tool_call': {
      // Calls come in the order their arguments streamed: the oldest call still being written is this one.
      const writing = items.findIndex((item) => item.kind === 'step' && item.status === 'writing' && (item.name === event.name || item.name === ''));
      const argsText = typeof event.args === 'string' ? event.args : JSON.stringify(event.args);
      const change: Partial<TurnStep> = { callId: event.call_id, name: event.name, args: event.args, argsText, status: 'running' };
      if (writing >= 0) return { ...current, items: replaceStep(items, writing, change) };
      return { ...current, items: [...items, newStep(`c:${event.call_id}`, event.name, change)] };
    }
    case 'tool_result': {
      const change: Partial<TurnStep> = { status: event.ok ? 'ok' : 'error', summary: event.summary };
      const index = lastIndexWhere(items, (step) => step.callId === event.call_id);
      if (index >= 0) return { ...current, items: replaceStep(items, index, change) };
      return { ...current, items: [...items, newStep(`r:${event.call_id}`, event.name, { ...change, callId: event.call_id })] };
    }
    case 'cell_changed': {
      const cellsChanged = current.cellsChanged.includes(event.cell_id) ? current.cellsChanged : [...current.cellsChanged, event.cell_id];
      const running = lastIndexWhere(items, (step) => step.status === 'running' && step.cellId === null);
      return { ...current, cellsChanged, items: running >= 0 ? replaceStep(items, running, { cellId: event.cell_id }) : items };
    }
    case 'usage':
      return { ...current, usage: event.usage };
    case 'error':
      return { ...current, error: { code: event.code, message: event.message } };
    case 'done': {
      const stopReason = event.stop_reason ?? null;
      let next = items.map((item): TurnItem => (item.kind === 'step' && (item.status === 'writing' || item.status === 'running') ? { ...item, status: 'cancelled' } : item));
      // A tab that missed the deltas still shows the answer.
      if (event.reply.trim() && !next.some((item) => item.kind === 'text')) next = appendText(next, event.reply);
      return {
        ...current,
        items: next,
        usage: event.usage,
        unreportedUsage: event.unreported_usage ?? 0,
        cellsChanged: event.cells_changed,
        stopReason,
        state: endState(event.stopped === true, stopReason, current.error),
      };
    }
  }
}

/** The turns of a saved conversation, in order. A turn without its end (the server stopped mid-turn) reads as stopped. */
export function turnsFromConversation(entries: readonly ConversationEntry[]): TurnView[] {
  const turns: TurnView[] = [];
  const ended = new Set<string>();
  for (const entry of entries) {
    let turn = turns.at(-1);
    if (!turn || turn.id !== entry.turn) {
      turn = emptyTurn(entry.turn);
      turns.push(turn);
    }
    switch (entry.kind) {
      case 'user':
        turn.prompt = entry.text;
        turn.at = entry.at ?? null;
        turn.attached = entry.attached ?? [];
        break;
      case 'assistant':
        turn.items = appendText(turn.items, turn.items.at(-1)?.kind === 'text' ? `\n\n${entry.text}` : entry.text);
        turn.model ??= entry.model ?? null;
        break;
      case 'tool':
        turn.items = [
          ...turn.items,
          newStep(`s${turn.items.length}`, entry.name, { argsText: entry.args, status: entry.ok ? 'ok' : 'error', summary: entry.summary }),
        ];
        break;
      case 'turn_end': {
        ended.add(turn.id);
        turn.usage = entry.usage;
        turn.unreportedUsage = entry.unreported_usage ?? 0;
        turn.model = entry.model ?? turn.model;
        turn.cellsChanged = entry.cells_changed.filter(CellId.is);
        turn.stopReason = entry.stop_reason ?? null;
        turn.error = entry.error ? { code: null, message: entry.error } : null;
        turn.state = endState(entry.stop_reason !== undefined, turn.stopReason, turn.error);
        break;
      }
    }
  }
  for (const turn of turns) if (!ended.has(turn.id)) turn.state = 'stopped';
  return turns;
}

/** The reply's text, stretches joined as the server joins them. */
export function replyText(turn: TurnView): string {
  return turn.items.flatMap((item) => (item.kind === 'text' ? [item.text] : [])).join('\n\n');
}
