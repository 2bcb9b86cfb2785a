import { Show, type JSX } from 'solid-js';
import { hasAnsiCodes, renderAnsi } from '../../render/ansi.ts';

/** Terminal text in a <pre>: plain text nodes when there are no escape codes, sanitized coloured HTML otherwise. */
export function AnsiText(props: { text: string; class: string }): JSX.Element {
  return (
    <pre class={props.class}>
      <Show when={hasAnsiCodes(props.text)} fallback={props.text}>
        <span innerHTML={renderAnsi(props.text)} />
      </Show>
    </pre>
  );
}
