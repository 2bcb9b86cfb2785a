import { For, Show, type JSX } from 'solid-js';
import { chipKey, type ContextChip } from '../../state/agent-chips.ts';

/**
 * What is attached to the next prompt, one chip each with its remove button ("Remove <label>"). Only what is
 * here when the prompt is sent goes with it.
 */
export function ContextChips(props: { chips: readonly ContextChip[]; onRemove: (key: string) => void }): JSX.Element {
  return (
    <Show when={props.chips.length > 0}>
      <ul class="agent-chips" aria-label="Attached to the prompt">
        <For each={props.chips}>
          {(chip) => (
            <li class="agent-chip" data-chip-kind={chip.ref.kind} title={chip.detail}>
              <span class="agent-chip-label">{chip.label}</span>
              <button type="button" class="agent-chip-remove" aria-label={`Remove ${chip.label}`} onClick={() => props.onRemove(chipKey(chip.ref))}>
                ×
              </button>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** The suggestions for the `@` being typed; the highlighted one is what Enter or Tab picks. */
export function MentionMenu(props: { suggestions: readonly ContextChip[]; active: number; onPick: (chip: ContextChip) => void }): JSX.Element {
  return (
    <ul class="agent-mentions" role="listbox" aria-label="Attach">
      <For each={props.suggestions} fallback={<li class="agent-mention muted">Nothing to attach by that name</li>}>
        {(chip, index) => (
          <li
            class="agent-mention"
            role="option"
            aria-selected={index() === props.active}
            data-chip-kind={chip.ref.kind}
            // mousedown, not click: the prompt keeps its focus and caret.
            onMouseDown={(event) => {
              event.preventDefault();
              props.onPick(chip);
            }}
          >
            <span class="agent-mention-kind">{chip.ref.kind}</span> <span class="agent-mention-label">{chip.label}</span>{' '}
            <span class="agent-mention-detail muted small">{chip.detail}</span>
          </li>
        )}
      </For>
    </ul>
  );
}
