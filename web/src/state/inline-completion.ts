/**
 * The server's inline completion setting as the page holds it: read once when a notebook opens, changed from
 * the assistant panel. One for the page (it is the server's, not a notebook's); editors read `isOn()` when they
 * would ask, so a change applies at the next keystroke.
 */
import { createSignal } from 'solid-js';
import { fetchInlineCompletionMode, updateInlineCompletionMode, type InlineCompletionMode } from '../api/inline-completion.ts';

const [mode, setMode] = createSignal<InlineCompletionMode>('off');
let loading: Promise<void> | undefined;

export const inlineCompletionSetting = {
  mode,
  isOn: () => mode() !== 'off',
  /** Reads the server's setting (once; again after a failure). */
  load(): Promise<void> {
    loading ??= fetchInlineCompletionMode().then(
      (current) => void setMode(current),
      () => {
        loading = undefined;
      },
    );
    return loading;
  },
  /** Changes the server's setting (kept in `.cellmate/settings.json`); rejects with the server's reason. */
  async change(next: InlineCompletionMode): Promise<void> {
    setMode(await updateInlineCompletionMode(next));
  },
};
