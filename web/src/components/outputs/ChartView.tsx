import { createEffect, createSignal, on, onCleanup, Show, type JSX } from 'solid-js';
import { embedChart, type ChartHandle, type ChartMode } from '../../render/vega.ts';
import { resolvedTheme } from '../../theme/theme.ts';

/** A vega / vega-lite chart; the chart code is fetched on first use (see render/vega.ts). */
export function ChartView(props: { spec: string; mode: ChartMode }): JSX.Element {
  let host: HTMLDivElement | undefined;
  let handle: ChartHandle | null = null;
  let request = 0;
  const [error, setError] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(true);

  const release = () => {
    handle?.finalize();
    handle = null;
  };

  createEffect(
    on(
      // A change of theme draws the chart again in the new one (canvas colours are not CSS).
      () => [props.spec, props.mode, resolvedTheme()] as const,
      async ([specText, mode, theme]) => {
        const current = ++request;
        release();
        setError(null);
        setLoading(true);
        try {
          if (!host) return;
          const embedded = await embedChart(host, JSON.parse(specText), mode, theme);
          // A newer spec (or unmounting) overtook this one while it rendered.
          if (current !== request) embedded.finalize();
          else handle = embedded;
        } catch (reason) {
          if (current === request) setError(reason instanceof Error ? reason.message : String(reason));
        } finally {
          if (current === request) setLoading(false);
        }
      },
    ),
  );

  onCleanup(() => {
    request++;
    release();
  });

  return (
    <div class="output-chart" aria-busy={loading()}>
      <div ref={host} class="chart-host" role="img" aria-label="Chart" />
      <Show when={loading() && !error()}>
        <span class="muted small">Drawing chart…</span>
      </Show>
      <Show when={error()}>{(message) => <p class="output-warning">Could not draw this chart: {message()}</p>}</Show>
    </div>
  );
}
