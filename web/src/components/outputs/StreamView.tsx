import { createMemo, Show, type JSX } from 'solid-js';
import type { StreamOutput } from '../../../../server/protocol/notebook.ts';
import { splitTruncationNote, STREAM_WINDOW_CHARS } from '../../render/long-text.ts';
import { AnsiText } from './AnsiText.tsx';
import { createFrameValue } from './frame-value.ts';

/**
 * stdout / stderr. Rendered at most once per animation frame however fast updates come, its end only when it
 * is long (see AnsiText), and the server's "output truncated" note shown as a note, apart from the output.
 */
export function StreamView(props: { output: StreamOutput }): JSX.Element {
  const text = createFrameValue(() => props.output.text);
  const parts = createMemo(() => splitTruncationNote(text()));
  return (
    <>
      <AnsiText class={`output-stream output-${props.output.name}`} text={parts().body} window={STREAM_WINDOW_CHARS} />
      <Show when={parts().note}>{(note) => <p class="output-truncated" role="note">{note()}</p>}</Show>
    </>
  );
}
