/**
 * The edge check for socket frames. The server validates what clients send with the protocol's zod schemas;
 * in the browser we only check the tags and the fields we branch on, because the frames come from our own
 * server and shipping zod (and the schemas) would double the page's script for little gain.
 */
import type { ServerMessage } from '../../../server/protocol/messages.ts';
import { isAgentEvent, isAgentState } from './agent-guards.ts';
import { isRecord } from './http.ts';

const str = (value: unknown): value is string => typeof value === 'string';

function isKernelInfo(value: unknown): boolean {
  return isRecord(value) && str(value.state);
}

function isRuntime(value: unknown): boolean {
  if (!isRecord(value) || !str(value.status)) return false;
  // A cell waiting for input() shows its prompt: it must be text, whatever else the server adds later.
  return value.input === undefined || (isRecord(value.input) && str(value.input.prompt) && typeof value.input.password === 'boolean');
}

function isDoc(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.cells) && value.cells.every((c) => isRecord(c) && str(c.id) && str(c.cell_type) && str(c.source));
}

function isOrigin(value: unknown): boolean {
  return value === undefined || (isRecord(value) && str(value.client_id) && typeof value.seq === 'number');
}

export function isServerMessage(value: unknown): value is ServerMessage {
  if (!isRecord(value) || !str(value.type)) return false;
  switch (value.type) {
    case 'snapshot':
      return (
        str(value.client_id) &&
        str(value.path) &&
        isDoc(value.doc) &&
        isRecord(value.runtime) &&
        Object.values(value.runtime).every(isRuntime) &&
        isKernelInfo(value.kernel) &&
        isAgentState(value.agent) &&
        (value.save_error === undefined || str(value.save_error))
      );
    case 'agent':
      return isAgentEvent(value.event);
    case 'agent_state':
      return isAgentState(value.agent);
    case 'edit':
      return isRecord(value.edit) && str(value.edit.type) && isOrigin(value.origin);
    case 'runtime':
      return str(value.cell_id) && isRuntime(value.runtime);
    case 'kernel':
      return isKernelInfo(value.kernel);
    case 'saved':
      return str(value.last_modified);
    case 'save_failed':
      return str(value.message) && (value.retry_in_ms === undefined || typeof value.retry_in_ms === 'number');
    case 'error':
      return str(value.message) && isOrigin(value.origin);
    case 'pong':
      return true;
    case 'conflict':
      return value.conflict === null || (isRecord(value.conflict) && (value.conflict.disk === 'modified' || value.conflict.disk === 'deleted'));
    case 'closed':
      return (value.reason === 'moved' && str(value.path)) || value.reason === 'deleted';
    default:
      return false;
  }
}

/** Parses one text frame; `null` for anything that isn't a message we understand (logged, then ignored). */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (isRecord(value) && value.type === 'snapshot' && value.agent === undefined) {
    // A server without the assistant sends no agent state: it is the same as an idle assistant.
    value.agent = { undoable: [] };
  }
  return isServerMessage(value) ? value : null;
}
