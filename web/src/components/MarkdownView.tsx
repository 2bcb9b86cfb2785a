import { createMemo, Show, type JSX } from 'solid-js';
import type { JSONObject } from '../../../server/protocol/notebook.ts';
import { renderMarkdown } from '../render/markdown.ts';
import { mathRenderer } from '../render/math-loader.ts';

/** A rendered markdown cell; double-click (or Enter in command mode) turns it back into its source. */
export function MarkdownView(props: { source: string; attachments?: JSONObject | undefined; onEdit: () => void }): JSX.Element {
  const html = createMemo(() => renderMarkdown(props.source, props.attachments, mathRenderer(props.source)));
  return (
    <div class="markdown-rendered" onDblClick={() => props.onEdit()}>
      <Show when={props.source.trim()} fallback={<p class="muted markdown-placeholder">Empty markdown cell — double-click to edit</p>}>
        <div class="markdown-body" innerHTML={html()} />
      </Show>
    </div>
  );
}
