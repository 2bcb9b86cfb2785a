import { For, Show, type JSX } from 'solid-js';
import type { Output } from '../../../../server/protocol/notebook.ts';
import { Icon } from '../Icon.tsx';
import { OutputView, type OutputActions } from './OutputView.tsx';

export type { OutputActions };

/**
 * The outputs of a code cell (`.cell-outputs`, present even when empty so tests can wait on it). With `actions`,
 * an error shows Fix and Explain on itself (see OutputView); outputs without an error offer Explain in a corner,
 * shown while the pointer or the focus is on them.
 */
export function Outputs(props: { outputs: Output[]; actions?: OutputActions }): JSX.Element {
  const hasError = () => props.outputs.some((output) => output.output_type === 'error');
  return (
    <div class="cell-outputs" classList={{ 'is-empty': props.outputs.length === 0 }} aria-label="Outputs">
      <For each={props.outputs}>{(output) => <OutputView output={output} {...(props.actions ? { actions: props.actions } : {})} />}</For>
      <Show when={props.actions && props.outputs.length > 0 && !hasError() ? props.actions : undefined}>
        {(actions) => (
          // An icon, as the toolbar's Explain: no words of its own among the outputs' text.
          <button type="button" class="icon-button outputs-explain" aria-label="Explain output" title="Ask the assistant what this output shows (changes nothing)" onClick={() => actions().explain()}>
            <Icon name="search" />
          </button>
        )}
      </Show>
    </div>
  );
}
