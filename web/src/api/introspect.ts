/**
 * What a cell's editor asks the notebook's kernel, through the typed client: completions and the documentation
 * of the name at the cursor (`POST /api/notebooks/{path}/complete | inspect`). Positions are in code points, as
 * the protocol counts them (the editor converts, see server/protocol/code-points.ts). A failed request is an
 * empty answer: the editor then offers nothing, quietly, as when no kernel runs.
 */
import {
  completionSchema,
  inspectionSchema,
  noCompletion,
  noInspection,
  type Completion,
  type Inspection,
} from '../../../server/protocol/introspect.ts';
import { api, expectAnswer } from './client.ts';

export type { Completion, Inspection };

const notebookParam = (path: string) => ({ path: encodeURIComponent(path) });

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Completions at `cursorPos`; rejects only when `signal` aborts it (the person typed on). */
export async function requestCompletion(path: string, code: string, cursorPos: number, signal?: AbortSignal): Promise<Completion> {
  try {
    const answer = await api.notebooks[':path'].complete.$post({ param: notebookParam(path), json: { code, cursor_pos: cursorPos } }, { init: { signal } });
    return expectAnswer(completionSchema, await answer.json(), 'the completions');
  } catch (error) {
    if (isAbort(error) || signal?.aborted) throw error;
    return noCompletion('error', cursorPos);
  }
}

/** The kernel's documentation of the name at `cursorPos`; rejects only when `signal` aborts it. */
export async function requestInspection(path: string, code: string, cursorPos: number, signal?: AbortSignal): Promise<Inspection> {
  try {
    const answer = await api.notebooks[':path'].inspect.$post({ param: notebookParam(path), json: { code, cursor_pos: cursorPos } }, { init: { signal } });
    return expectAnswer(inspectionSchema, await answer.json(), 'the documentation');
  } catch (error) {
    if (isAbort(error) || signal?.aborted) throw error;
    return noInspection('error');
  }
}
