/**
 * The edge check for socket frames: the browser validates what the server sends with the protocol's own
 * schemas (server/protocol/messages.ts), so a field is declared once for both sides. `zod/mini` checks without
 * generating code (`new Function`), which the page's Content-Security-Policy (no 'unsafe-eval') would refuse.
 */
import { serverMessageSchema, type ServerMessage } from '../../../server/protocol/messages.ts';

export function isServerMessage(value: unknown): value is ServerMessage {
  return serverMessageSchema.safeParse(value).success;
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
  const parsed = serverMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
