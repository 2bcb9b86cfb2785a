/**
 * A notebook's WebSocket as the page holds it, reduced to what the benchmark times: send `execute`, wait until
 * the cell's runtime says it ended. Every message received is counted (what a browser would have to handle).
 */
import WebSocket from 'ws';
import type { CellRunStatus, ServerMessage } from '../server/protocol/index.ts';
import type { TestCellmate } from '../tests/helpers/cellmate.ts';

const ENDED: ReadonlySet<CellRunStatus> = new Set(['ok', 'error', 'aborted']);

export interface BenchTab {
  /** Messages received so far. */
  readonly received: number;
  /** Sends `execute` for `cellId`; resolves with the final status once a runtime after it says the run ended. */
  run(cellId: string): Promise<CellRunStatus>;
  close(): void;
}

export async function openTab(cm: TestCellmate, path: string): Promise<BenchTab> {
  const ws = new WebSocket(`${cm.url.replace('http', 'ws')}/api/notebooks/${encodeURIComponent(path)}/ws?token=${cm.token}`);
  let received = 0;
  let waiting: { cellId: string; started: boolean; resolve: (status: CellRunStatus) => void } | undefined;
  ws.on('message', (data) => {
    received++;
    if (!waiting) return;
    // Trusted (our own server) and on the timed path: a cast instead of the page's schema check.
    const message = JSON.parse(String(data)) as ServerMessage;
    if (message.type !== 'runtime' || message.cell_id !== waiting.cellId) return;
    // The cell's previous run also ended `ok`: only an end after this run's queued/running counts.
    if (!ENDED.has(message.runtime.status)) waiting.started = true;
    else if (waiting.started) {
      const done = waiting;
      waiting = undefined;
      done.resolve(message.runtime.status);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    get received() {
      return received;
    },
    run(cellId) {
      return new Promise((resolve) => {
        waiting = { cellId, started: false, resolve };
        ws.send(JSON.stringify({ type: 'execute', cell_ids: [cellId] }));
      });
    },
    close: () => ws.close(),
  };
}
