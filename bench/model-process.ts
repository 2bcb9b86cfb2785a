/**
 * The fake model server of row 5 in a process of its own, as a real model server would be: its own work (reading
 * each request, growing with the conversation, and writing the stream) runs beside Cellmate's, not inside the
 * event loop being measured. It plays the assistant's script (add a `1+1` cell, run it, again; then a text reply)
 * and notes when each request arrived, on the system's monotonic clock.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Parent → child. */
export type ModelCommand = { type: 'turn'; pairs: number } | { type: 'arrivals' } | { type: 'close' };
/** Child → parent. */
export type ModelReport = { type: 'ready'; baseURL: string } | { type: 'scripted' } | { type: 'arrivals'; at: number[]; remaining: number };

export interface ModelProcess {
  readonly baseURL: string;
  /** Scripts one turn of `pairs` add_cell + run_cell steps and a final text reply. */
  scriptTurn(pairs: number): Promise<void>;
  /** When each request of the last turn arrived (ms, monotonic), and the steps left unplayed; resets the list. */
  arrivals(): Promise<{ at: number[]; remaining: number }>;
  close(): Promise<void>;
}

export async function startModelProcess(): Promise<ModelProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./model-child.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T extends ModelReport['type']>(type: T) =>
    new Promise<Extract<ModelReport, { type: T }>>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the model process exited (${code})`));
      child.once('exit', onExit);
      const onMessage = (report: ModelReport) => {
        if (report.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(report as Extract<ModelReport, { type: T }>);
      };
      child.on('message', onMessage);
    });
  const send = (command: ModelCommand) => child.send(command);
  const { baseURL } = await next('ready');
  return {
    baseURL,
    async scriptTurn(pairs) {
      const done = next('scripted');
      send({ type: 'turn', pairs });
      await done;
    },
    async arrivals() {
      const report = next('arrivals');
      send({ type: 'arrivals' });
      const { at, remaining } = await report;
      return { at, remaining };
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      send({ type: 'close' });
      await exited;
    },
  };
}
