/**
 * Edge checks for what the assistant sends: turn events and state over the socket, and the conversation kept in
 * the notebook's metadata. Like `server-message.ts`, hand-written guards instead of the protocol's zod schemas,
 * so the page does not ship zod; `agent-guards.test.ts` checks they accept what the schemas accept.
 */
import type { AgentEvent, ConversationEntry, TokenUsage } from '../../../server/protocol/agent.ts';
import type { AgentState } from '../../../server/protocol/messages.ts';
import type { JSONObject } from '../../../server/protocol/notebook.ts';
import { isRecord } from './http.ts';

const str = (value: unknown): value is string => typeof value === 'string';
const int = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const optional = (value: unknown, check: (v: unknown) => boolean): boolean => value === undefined || check(value);

const STOP_REASONS: readonly unknown[] = ['aborted', 'max_steps', 'timeout', 'max_tokens', 'error'];
const CHANGES: readonly unknown[] = ['added', 'edited', 'deleted', 'ran'];

export function isTokenUsage(value: unknown): value is TokenUsage {
  return isRecord(value) && int(value.prompt_tokens) && int(value.completion_tokens) && int(value.total_tokens);
}

/** Checks the tag, the turn and the fields the panel reads; an unknown event type is refused (and ignored). */
export function isAgentEvent(value: unknown): value is AgentEvent {
  if (!isRecord(value) || !str(value.type) || !str(value.turn)) return false;
  switch (value.type) {
    case 'turn_start':
      return str(value.model) && str(value.prompt);
    case 'text_delta':
      return str(value.text);
    case 'tool_call_delta':
      return int(value.step) && int(value.index) && optional(value.name, str) && str(value.arguments_delta);
    case 'tool_call':
      return str(value.call_id) && str(value.name) && 'args' in value;
    case 'tool_result':
      return str(value.call_id) && str(value.name) && typeof value.ok === 'boolean' && str(value.summary);
    case 'cell_changed':
      return str(value.cell_id) && CHANGES.includes(value.change);
    case 'usage':
      return isTokenUsage(value.usage);
    case 'error':
      return str(value.code) && str(value.message);
    case 'done':
      return (
        str(value.reply) &&
        Array.isArray(value.cells_changed) &&
        value.cells_changed.every(str) &&
        isTokenUsage(value.usage) &&
        optional(value.stopped, (v) => v === true) &&
        optional(value.stop_reason, (v) => STOP_REASONS.includes(v))
      );
    default:
      return false;
  }
}

export function isAgentState(value: unknown): value is AgentState {
  if (!isRecord(value) || !Array.isArray(value.undoable) || !value.undoable.every(str)) return false;
  const { running } = value;
  return running === undefined || (isRecord(running) && str(running.turn) && Array.isArray(running.events) && running.events.every(isAgentEvent));
}

function isConversationEntry(value: unknown): value is ConversationEntry {
  if (!isRecord(value) || !str(value.turn)) return false;
  switch (value.kind) {
    case 'user':
      return str(value.text) && optional(value.at, str);
    case 'assistant':
      return str(value.text) && optional(value.model, str);
    case 'tool':
      return str(value.name) && str(value.args) && typeof value.ok === 'boolean' && str(value.summary);
    case 'turn_end':
      return (
        isTokenUsage(value.usage) &&
        Array.isArray(value.cells_changed) &&
        value.cells_changed.every(str) &&
        optional(value.stop_reason, (v) => STOP_REASONS.includes(v)) &&
        optional(value.error, str)
      );
    default:
      return false;
  }
}

/**
 * `metadata.cellmate.conversation` of a notebook, as the protocol's `conversationFromMetadata` reads it: entries
 * that don't fit are skipped, never fatal (a file edited by hand, a newer version).
 */
export function conversationEntries(metadata: JSONObject): ConversationEntry[] {
  const cellmate = metadata['cellmate'];
  if (!isRecord(cellmate)) return [];
  const list = cellmate['conversation'];
  return Array.isArray(list) ? list.filter(isConversationEntry) : [];
}
