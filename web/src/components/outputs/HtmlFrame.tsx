import { createMemo, createSignal, onCleanup, Show, type JSX } from 'solid-js';
import { buildSrcdoc, createNonce, readFrameHeight } from '../../render/html-srcdoc.ts';
import { resolvedTheme } from '../../theme/theme.ts';

/**
 * A `text/html` output in a sandboxed frame (see render/html-srcdoc.ts for why it is safe). The frame tells us
 * its height by postMessage; only messages from this frame's own window are believed.
 */
export function HtmlFrame(props: { html: string }): JSX.Element {
  let frame: HTMLIFrameElement | undefined;
  const [height, setHeight] = createSignal(0);
  // A new nonce for every document: an output can't learn it from an earlier render.
  const srcdoc = (theme: 'light' | 'dark') => createMemo(() => buildSrcdoc(props.html, createNonce(), theme));

  const onMessage = (event: MessageEvent) => {
    if (!frame || event.source !== frame.contentWindow) return;
    const reported = readFrameHeight(event.data);
    if (reported !== null) setHeight(reported);
  };
  window.addEventListener('message', onMessage);
  onCleanup(() => window.removeEventListener('message', onMessage));

  // A change of theme makes a new frame with the document in the new colours: the frame can't be reached from
  // here to restyle it, and Chromium keeps an opaque backdrop behind a frame that was loaded again in place
  // when the page's color-scheme changed.
  return (
    <Show when={resolvedTheme()} keyed>
      {(theme) => {
        const document = srcdoc(theme);
        return (
          <iframe
            ref={frame}
            class="output-html"
            sandbox="allow-scripts"
            referrerPolicy="no-referrer"
            title="HTML output"
            srcdoc={document()}
            style={{ height: `${Math.max(height(), 24)}px` }}
          />
        );
      }}
    </Show>
  );
}
