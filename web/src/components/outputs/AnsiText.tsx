import { createMemo, createSignal, Show, type JSX } from 'solid-js';
import { hasAnsiCodes, renderAnsi } from '../../render/ansi.ts';
import { tailWindow } from '../../render/long-text.ts';
import { formatSize } from '../files/format-size.ts';

/**
 * Terminal text in a <pre>: plain text nodes when there are no escape codes, sanitized coloured HTML otherwise.
 * With `window`, text longer than that shows only its end (lines, then colours, are the costly part of a flood)
 * behind a "Show all (size)" button; only the shown part is ever scanned or coloured.
 */
export function AnsiText(props: { text: string; class: string; window?: number }): JSX.Element {
  const [isShowingAll, setShowingAll] = createSignal(false);
  const shown = createMemo(() => (isShowingAll() || props.window === undefined ? { text: props.text, hiddenChars: 0 } : tailWindow(props.text, props.window)));
  const isColoured = createMemo(() => hasAnsiCodes(shown().text));
  return (
    <>
      <Show when={shown().hiddenChars > 0}>
        <div class="output-window-note" role="note">
          <span>Showing the last {formatSize(shown().text.length)} of this output.</span>
          <button type="button" class="button small" onClick={() => setShowingAll(true)}>
            Show all ({formatSize(props.text.length)})
          </button>
        </div>
      </Show>
      <pre class={props.class}>
        <Show when={isColoured()} fallback={shown().text}>
          <span innerHTML={renderAnsi(shown().text)} />
        </Show>
      </pre>
    </>
  );
}
