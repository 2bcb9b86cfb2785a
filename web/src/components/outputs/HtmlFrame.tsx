import { createMemo, createSignal, onCleanup, type JSX } from 'solid-js';
import { buildSrcdoc, createNonce, readFrameHeight } from '../../render/html-srcdoc.ts';
import { resolvedTheme } from '../../theme/theme.ts';

/**
 * A `text/html` output in a sandboxed frame (see render/html-srcdoc.ts for why it is safe). The frame tells us
 * its height by postMessage; only messages from this frame's own window are believed.
 */
export function HtmlFrame(props: { html: string }): JSX.Element {
  let frame: HTMLIFrameElement | undefined;
  const [height, setHeight] = createSignal(0);
  // A new nonce for every document: an output can't learn it from an earlier render. A change of theme
  // loads the document again in the new colours (the frame can't be reached from here to restyle it).
  const srcdoc = createMemo(() => buildSrcdoc(props.html, createNonce(), resolvedTheme()));

  const onMessage = (event: MessageEvent) => {
    if (!frame || event.source !== frame.contentWindow) return;
    const reported = readFrameHeight(event.data);
    if (reported !== null) setHeight(reported);
  };
  window.addEventListener('message', onMessage);
  onCleanup(() => window.removeEventListener('message', onMessage));

  return (
    <iframe
      ref={frame}
      class="output-html"
      sandbox="allow-scripts"
      referrerPolicy="no-referrer"
      title="HTML output"
      srcdoc={srcdoc()}
      style={{ height: `${Math.max(height(), 24)}px` }}
    />
  );
}
