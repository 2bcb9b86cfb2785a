/**
 * The edge check for socket frames: the browser validates what the server sends with the protocol's own
 * schemas (server/protocol/messages.ts), so a field is declared once for both sides. `zod/mini` checks without
 * generating code (`new Function`), which the page's Content-Security-Policy (no 'unsafe-eval') would refuse.
 */
import * as z from 'zod/mini';
import { CellId } from '../../../server/protocol/ids.ts';
import { serverMessageSchema, snapshotMessageSchema, type ServerMessage } from '../../../server/protocol/messages.ts';
import { notebookDocSchema, type CellDoc } from '../../../server/protocol/notebook.ts';

const NOT_JSON = Symbol('not JSON');

/** A text frame's JSON value, or NOT_JSON for a binary frame or text that isn't JSON. */
function jsonOf(data: unknown): unknown {
  if (typeof data !== 'string') return NOT_JSON;
  try {
    return JSON.parse(data);
  } catch {
    return NOT_JSON;
  }
}

export function isServerMessage(value: unknown): value is ServerMessage {
  return serverMessageSchema.safeParse(value).success;
}

/** Parses one text frame; `null` for anything that isn't a message we understand (logged, then ignored). */
export function parseServerMessage(data: unknown): ServerMessage | null {
  const value = jsonOf(data);
  if (value === NOT_JSON) return null;
  const parsed = serverMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A frame read for the page: the message, and for a snapshot the check of its cells that can wait. */
export interface ServerFrame {
  message: ServerMessage;
  /**
   * The whole schema's check of what was let through on shape alone (a snapshot's cells): `null` when it holds,
   * else what is wrong, in words. Run it once the notebook is on the screen.
   */
  checkLater?: () => string | null;
}

/** A snapshot with everything checked but its cells, which are only read as an array here. */
const snapshotShellSchema = z.extend(snapshotMessageSchema, { doc: z.extend(notebookDocSchema, { cells: z.array(z.unknown()) }) });

const CELL_TYPES = new Set(['code', 'markdown', 'raw']);
const OUTPUT_TYPES = new Set(['stream', 'display_data', 'execute_result', 'error']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What the page reads of a cell to draw it, checked by hand: its id, type, text and metadata, and for a code
 * cell its count and the kind of each output. A few microseconds a cell, where the schema takes tens (and makes a
 * copy of everything): the rest is checked by the schema after the first paint (`ServerFrame.checkLater`).
 */
export function isCellShaped(value: unknown): value is CellDoc {
  if (!isRecord(value) || !CellId.is(value.id) || typeof value.cell_type !== 'string' || !CELL_TYPES.has(value.cell_type)) return false;
  if (typeof value.source !== 'string' || !isRecord(value.metadata)) return false;
  if (value.cell_type !== 'code') return value.attachments === undefined || isRecord(value.attachments);
  const count = value.execution_count;
  if (count !== null && !Number.isInteger(count)) return false;
  return Array.isArray(value.outputs) && value.outputs.every((output) => isRecord(output) && typeof output.output_type === 'string' && OUTPUT_TYPES.has(output.output_type));
}

/**
 * Reads one text frame as the socket gets it; `null` for anything that isn't a message we understand. The same
 * check as `parseServerMessage`, except that a snapshot's cells are checked by shape (`isCellShaped`) before the
 * notebook is drawn, and by the schema only when `checkLater` is called: at 2,000 cells the schema's check took
 * about a third of the time from the snapshot to the first screen.
 */
export function readServerFrame(data: unknown): ServerFrame | null {
  const value = jsonOf(data);
  if (value === NOT_JSON) return null;
  if (!isRecord(value) || value.type !== 'snapshot') {
    const parsed = serverMessageSchema.safeParse(value);
    return parsed.success ? { message: parsed.data } : null;
  }
  const shell = snapshotShellSchema.safeParse(value);
  if (!shell.success) return null;
  const cells: CellDoc[] = [];
  for (const cell of shell.data.doc.cells) {
    if (!isCellShaped(cell)) return null;
    cells.push(cell);
  }
  const checked = value;
  return {
    message: { ...shell.data, doc: { ...shell.data.doc, cells } },
    checkLater: () => {
      const parsed = serverMessageSchema.safeParse(checked);
      return parsed.success ? null : z.prettifyError(parsed.error);
    },
  };
}
