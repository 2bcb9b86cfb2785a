import { createMemo, Match, Show, Switch, type JSX } from 'solid-js';
import type { JSONObject, MimeBundle } from '../../../../server/protocol/notebook.ts';
import { base64ImageUrl, svgDataUrl } from '../../render/data-url.ts';
import { renderLatex, renderMarkdown } from '../../render/markdown.ts';
import { mathRenderer } from '../../render/math-loader.ts';
import { chooseMime, mimeJson, mimeText } from '../../render/mime.ts';
import { STREAM_WINDOW_CHARS } from '../../render/long-text.ts';
import { AnsiText } from './AnsiText.tsx';
import { ChartView } from './ChartView.tsx';
import { HtmlFrame } from './HtmlFrame.tsx';
import { createFrameValue } from './frame-value.ts';

/** Reads nbformat's per-mime image size metadata (`{"image/png": {"width": 400}}`). */
function imageSize(metadata: JSONObject, mime: string): { width?: number; height?: number } {
  const entry = metadata[mime];
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return {};
  const size: { width?: number; height?: number } = {};
  if (typeof entry.width === 'number') size.width = entry.width;
  if (typeof entry.height === 'number') size.height = entry.height;
  return size;
}

/** One display_data / execute_result, shown in its richest renderable mime type. */
export function MimeView(props: { data: MimeBundle; metadata: JSONObject }): JSX.Element {
  const choice = createMemo(() => chooseMime(props.data));
  const value = () => {
    const chosen = choice();
    return chosen ? props.data[chosen.mime] : undefined;
  };
  // A display updated many times a second (progress, live text) is rendered at most once per frame.
  const text = createFrameValue(() => mimeText(value()));
  // Reading the whole spec here makes the chart follow any change to it, and hands vega a plain copy.
  const chartSpec = () => {
    const spec = mimeJson(value());
    return spec ? JSON.stringify(spec) : null;
  };
  const imageUrl = () => base64ImageUrl(choice()?.mime ?? '', text());

  return (
    <Switch fallback={<p class="output-warning">Output in a format Cellmate does not show: {Object.keys(props.data).join(', ')}</p>}>
      <Match when={choice()?.kind === 'vega-lite' || choice()?.kind === 'vega'}>
        <Show when={chartSpec()} fallback={<p class="output-warning">This chart's specification is not valid JSON.</p>}>
          {(spec) => <ChartView spec={spec()} mode={choice()?.kind === 'vega' ? 'vega' : 'vega-lite'} />}
        </Show>
      </Match>
      <Match when={choice()?.kind === 'html'}>
        <HtmlFrame html={text()} />
      </Match>
      <Match when={choice()?.kind === 'markdown'}>
        <div class="output-markdown markdown-body" innerHTML={renderMarkdown(text(), undefined, mathRenderer(text()))} />
      </Match>
      <Match when={choice()?.kind === 'svg'}>
        <img class="output-image" alt="SVG output" src={svgDataUrl(text())} {...imageSize(props.metadata, 'image/svg+xml')} />
      </Match>
      <Match when={choice()?.kind === 'image'}>
        <Show when={imageUrl()} fallback={<p class="output-warning">This image's data is not valid base64.</p>}>
          {(url) => <img class="output-image" alt="Image output" src={url()} {...imageSize(props.metadata, choice()?.mime ?? '')} />}
        </Show>
      </Match>
      <Match when={choice()?.kind === 'json'}>
        <pre class="output-json">{JSON.stringify(value(), null, 2)}</pre>
      </Match>
      <Match when={choice()?.kind === 'latex'}>
        <div class="output-latex" innerHTML={renderLatex(text(), mathRenderer(text()))} />
      </Match>
      <Match when={choice()?.kind === 'text'}>
        <AnsiText class="output-text" text={text()} window={STREAM_WINDOW_CHARS} />
      </Match>
    </Switch>
  );
}
