import { createSignal, For, onMount, type JSX } from 'solid-js';
import type { InlineCompletionMode } from '../../api/inline-completion.ts';
import { inlineCompletionSetting } from '../../state/inline-completion.ts';

const CHOICES: { mode: InlineCompletionMode; label: string }[] = [
  { mode: 'off', label: 'Ghost text: off' },
  { mode: 'fim', label: 'Ghost text: fill in the middle' },
  { mode: 'chat', label: 'Ghost text: chat' },
];

/**
 * The server's inline completion setting (select "Inline completion"): off, fill in the middle (a server and model
 * that offer it: Ollama, vLLM with a code model) or chat (any model). Kept by the server in `.cellmate/settings.json`.
 */
export function InlineCompletionPicker(): JSX.Element {
  const [problem, setProblem] = createSignal<string | null>(null);
  onMount(() => void inlineCompletionSetting.load());
  const change = async (mode: InlineCompletionMode) => {
    try {
      await inlineCompletionSetting.change(mode);
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <select
      class="agent-model agent-inline-completion"
      aria-label="Inline completion"
      title={problem() ?? 'Suggestions from the model as you type in a code cell: Tab accepts, Escape dismisses'}
      onChange={(event) => {
        const choice = CHOICES.find((c) => c.mode === event.currentTarget.value);
        if (choice) void change(choice.mode);
      }}
    >
      <For each={CHOICES}>
        {(choice) => (
          <option value={choice.mode} selected={choice.mode === inlineCompletionSetting.mode()}>
            {choice.label}
          </option>
        )}
      </For>
    </select>
  );
}
