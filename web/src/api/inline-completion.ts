/**
 * Inline completion through the typed client: one suggestion for a cell's cursor
 * (`POST /api/notebooks/{path}/inline-complete`, positions in code points) and the server's setting
 * (`GET | PUT /api/agent/inline-completion`). A failed suggestion is no suggestion: the editor shows nothing.
 */
import {
  inlineCompletionSchema,
  inlineCompletionSettingSchema,
  type InlineCompleteRequest,
  type InlineCompletionMode,
} from '../../../server/protocol/inline-completion.ts';
import { api, expectAnswer } from './client.ts';

export type { InlineCompletionMode };

/** The suggestion's text, or null when there is none or it failed; rejects only when `signal` aborts it. */
export async function requestInlineCompletion(path: string, request: InlineCompleteRequest, signal: AbortSignal): Promise<string | null> {
  try {
    const answer = await api.notebooks[':path']['inline-complete'].$post({ param: { path: encodeURIComponent(path) }, json: request }, { init: { signal } });
    const { text } = expectAnswer(inlineCompletionSchema, await answer.json(), 'an inline completion');
    return text === '' ? null : text;
  } catch (error) {
    if (signal.aborted) throw error;
    return null;
  }
}

export async function fetchInlineCompletionMode(): Promise<InlineCompletionMode> {
  return expectAnswer(inlineCompletionSettingSchema, await (await api.agent['inline-completion'].$get()).json(), 'the inline completion setting').mode;
}

export async function updateInlineCompletionMode(mode: InlineCompletionMode): Promise<InlineCompletionMode> {
  const answer = await api.agent['inline-completion'].$put({ json: { mode } });
  return expectAnswer(inlineCompletionSettingSchema, await answer.json(), 'the inline completion setting').mode;
}
