/**
 * When a cell last ran, kept in its metadata as JupyterLab's `recordTiming` keeps it (and the execute-time
 * extension reads it): `metadata.execution` holds the kernel's ISO timestamps of the run's messages.
 *
 * @example
 *   "execution": {
 *     "iopub.status.busy": "2026-03-02T14:03:11.052Z",
 *     "iopub.execute_input": "2026-03-02T14:03:11.053Z",
 *     "shell.execute_reply.started": "2026-03-02T14:03:11.053Z",
 *     "shell.execute_reply": "2026-03-02T14:03:12.254Z",
 *     "iopub.status.idle": "2026-03-02T14:03:12.256Z"
 *   }
 */
import type { JSONObject } from './notebook.ts';

export const EXECUTION_METADATA_KEY = 'execution';

/** The keys JupyterLab writes; `execution_failed` when the run ended without a reply (the kernel died, a restart). */
export type ExecutionTimingKey =
  | 'iopub.status.busy'
  | 'iopub.execute_input'
  | 'shell.execute_reply.started'
  | 'shell.execute_reply'
  | 'iopub.status.idle'
  | 'execution_failed';

export type ExecutionTiming = Partial<Record<ExecutionTimingKey, string>>;

/** A finished run as the page shows it: when it started and ended (ms since epoch), and whether it got a reply. */
export interface RunSpan {
  startedAt: number;
  endedAt: number;
  failed: boolean;
}

/**
 * The span of the last run recorded in a cell's metadata, read as the execute-time extension reads it (the
 * kernel's own start when it sent one, else when the code was announced, else when the kernel got busy; the end
 * at the reply, or at the failure); null when there is none or it doesn't parse.
 */
export function readRunSpan(metadata: JSONObject): RunSpan | null {
  const timing = metadata[EXECUTION_METADATA_KEY];
  if (!timing || typeof timing !== 'object' || Array.isArray(timing)) return null;
  const time = (key: ExecutionTimingKey) => {
    const value = timing[key];
    return typeof value === 'string' ? Date.parse(value) : Number.NaN;
  };
  const firstOf = (...keys: ExecutionTimingKey[]) => keys.map(time).find((value) => !Number.isNaN(value));
  const startedAt = firstOf('shell.execute_reply.started', 'iopub.execute_input', 'iopub.status.busy');
  const reply = time('shell.execute_reply');
  const endedAt = Number.isNaN(reply) ? firstOf('execution_failed') : reply;
  if (startedAt === undefined || endedAt === undefined) return null;
  return { startedAt, endedAt: Math.max(startedAt, endedAt), failed: Number.isNaN(reply) };
}
