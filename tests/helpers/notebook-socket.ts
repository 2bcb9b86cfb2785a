/**
 * A notebook's WebSocket as a test sees it: every message kept, conditions waited for with deadlines; and a
 * small REST helper that makes a notebook with code cells.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { z } from 'zod';
import { CellId, type CellRuntime, type ClientMessage, type KernelInfo, type ServerMessage } from '../../server/protocol/index.ts';
import { isServerMessage } from '../../web/src/api/server-message.ts';
import type { TestCellmate } from './cellmate.ts';

export interface TestSocket {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[];
  send(message: ClientMessage): void;
  /** The first message (from the start) satisfying `predicate`, waiting for it if needed. */
  waitFor(what: string, predicate: (message: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  /** Waits until the cell's latest runtime satisfies `predicate`. */
  waitForRuntime(cellId: string, what: string, predicate: (runtime: CellRuntime) => boolean, timeoutMs?: number): Promise<CellRuntime>;
  /** Waits until a kernel message satisfying `predicate` arrives after the `since`-th message. */
  waitForKernel(what: string, predicate: (kernel: KernelInfo) => boolean, since?: number, timeoutMs?: number): Promise<KernelInfo>;
  close(): Promise<void>;
}

export const enc = encodeURIComponent;

export async function openNotebookSocket(cm: Pick<TestCellmate, 'url' | 'token'>, path: string): Promise<TestSocket> {
  const ws = new WebSocket(`${cm.url.replace('http', 'ws')}/api/notebooks/${enc(path)}/ws?token=${cm.token}`);
  const messages: ServerMessage[] = [];
  const listeners = new Set<() => void>();
  ws.on('message', (data) => {
    const parsed: unknown = JSON.parse(String(data));
    if (isServerMessage(parsed)) messages.push(parsed);
    for (const listener of listeners) listener();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  function waitUntil<T>(what: string, find: () => T | undefined, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last messages: ${JSON.stringify(messages.slice(-5)).slice(0, 2000)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  }

  return {
    ws,
    messages,
    send: (message) => ws.send(JSON.stringify(message)),
    waitFor: (what, predicate, timeoutMs) => waitUntil(what, () => messages.find(predicate), timeoutMs),
    waitForRuntime: (cellId, what, predicate, timeoutMs) =>
      waitUntil(
        what,
        () => {
          const last = messages.findLast((m) => m.type === 'runtime' && m.cell_id === cellId);
          return last?.type === 'runtime' && predicate(last.runtime) ? last.runtime : undefined;
        },
        timeoutMs,
      ),
    waitForKernel: (what, predicate, since = 0, timeoutMs) =>
      waitUntil(
        what,
        () => {
          const found = messages.slice(since).find((m) => m.type === 'kernel' && predicate(m.kernel));
          return found?.type === 'kernel' ? found.kernel : undefined;
        },
        timeoutMs,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

/** Creates `path` with one code cell per source (through the REST API); returns their ids in order. */
export async function notebookWithCells(cm: TestCellmate, path: string, sources: string[]): Promise<CellId[]> {
  const created = await cm.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path }) });
  if (created.status !== 201) throw new Error(`could not create ${path}: ${created.status} ${await created.text()}`);
  const ids: CellId[] = [];
  for (const source of sources) {
    const response = await cm.api(`/api/notebooks/${enc(path)}/cells`, { method: 'POST', body: JSON.stringify({ source }) });
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null || !('id' in body) || !CellId.is(body.id)) throw new Error(`no cell id: ${JSON.stringify(body)}`);
    ids.push(body.id);
  }
  return ids;
}

const executeReply = z.object({
  cells: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      message: z.string().optional(),
      outputs: z.array(z.looseObject({ output_type: z.string(), text: z.string().optional(), ename: z.string().optional() })),
    }),
  ),
});

/** Runs cells through the REST API and returns the body's `cells`. */
export async function executeCells(cm: TestCellmate, path: string, ids: string[]): Promise<z.infer<typeof executeReply>['cells']> {
  const response = await cm.api(`/api/notebooks/${enc(path)}/execute`, { method: 'POST', body: JSON.stringify({ cell_ids: ids }) });
  const body: unknown = await response.json();
  const parsed = executeReply.safeParse(body);
  if (!parsed.success) throw new Error(`execute failed (${response.status}): ${JSON.stringify(body).slice(0, 500)}`);
  return parsed.data.cells;
}

/** Writes a kernelspec folder `<root>/kernels/<name>/kernel.json` (put `root` on JUPYTER_PATH). */
export async function writeKernelSpec(root: string, name: string, spec: { argv: string[]; display_name: string; language?: string }): Promise<void> {
  const file = join(root, 'kernels', name, 'kernel.json');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ language: 'python', ...spec }));
}
