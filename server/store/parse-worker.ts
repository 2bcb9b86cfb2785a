/**
 * The worker thread of parse-off-thread.ts: parses one notebook at a time, then hands its cells back in
 * batches of about `BATCH_BYTES`, one batch per request, so that receiving a large notebook never holds the
 * main thread for more than a batch's worth of copying.
 */
import { parentPort } from 'node:worker_threads';
import type { CellDoc } from '../protocol/index.ts';
import { CellmateError } from '../errors.ts';
import type { ParserReply, ParserRequest } from './parse-off-thread.ts';
import { parseNotebook } from './serializer.ts';

const BATCH_BYTES = 2 ** 20;

let parsed: { cells: CellDoc[]; next: number } | undefined;

function reply(message: ParserReply): void {
  parentPort?.postMessage(message);
}

parentPort?.on('message', (request: ParserRequest) => {
  if (request.type === 'parse') {
    parsed = undefined;
    try {
      const text = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength).toString('utf8');
      const { doc, warnings } = parseNotebook(text, request.limits);
      parsed = { cells: doc.cells, next: 0 };
      reply({ type: 'parsed', head: { ...doc, cells: [] }, warnings, cellCount: doc.cells.length });
    } catch (error) {
      const status = error instanceof CellmateError ? error.status : undefined;
      reply({ type: 'failed', message: error instanceof Error ? error.message : String(error), ...(status ? { status } : {}) });
    }
    return;
  }
  const cells: CellDoc[] = [];
  let bytes = 0;
  while (parsed && parsed.next < parsed.cells.length && (cells.length === 0 || bytes < BATCH_BYTES)) {
    const cell = parsed.cells[parsed.next++]!;
    cells.push(cell);
    bytes += approximateBytes(cell);
  }
  if (parsed && parsed.next >= parsed.cells.length) parsed = undefined;
  reply({ type: 'cells', cells });
});

/** About how many bytes a value takes to copy: its strings' lengths and a little per value, without recursion. */
function approximateBytes(value: unknown): number {
  let bytes = 0;
  const stack = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    bytes += typeof item === 'string' ? item.length : 8;
    if (typeof item === 'object' && item !== null) for (const child of Object.values(item)) stack.push(child);
  }
  return bytes;
}
