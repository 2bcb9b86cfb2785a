import { For, type JSX } from 'solid-js';
import type { Output } from '../../../../server/protocol/notebook.ts';
import { OutputView } from './OutputView.tsx';

/** The outputs of a code cell (`.cell-outputs`, present even when empty so tests can wait on it). */
export function Outputs(props: { outputs: Output[] }): JSX.Element {
  return (
    <div class="cell-outputs" classList={{ 'is-empty': props.outputs.length === 0 }} aria-label="Outputs">
      <For each={props.outputs}>{(output) => <OutputView output={output} />}</For>
    </div>
  );
}
