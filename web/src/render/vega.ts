/**
 * Charts (vega-lite and vega specs). vega-embed is imported lazily, so the ~1 MB of vega is only downloaded
 * when a notebook shows a chart. Three settings keep a spec from reaching beyond its own data:
 * - `ast: true` evaluates vega expressions with an interpreter instead of generating JavaScript;
 * - a loader that refuses every URL (no network, no files: data travels inside the spec);
 * - the spec's `usermeta.embedOptions` are dropped, since vega-embed would let them override ours.
 */
import type { Loader } from 'vega';
import type { JSONValue } from '../../../server/protocol/notebook.ts';

export type ChartMode = 'vega' | 'vega-lite';

export interface ChartHandle {
  finalize(): void;
}

const REFUSED = 'Charts in Cellmate cannot load URLs: put the data in the chart itself.';

/** A loader with every way out replaced by a refusal (the rest of `base` is kept for vega's own use). */
export function refusingLoader(base: Loader): Loader {
  const refuse = (uri: unknown) => Promise.reject(new Error(`${REFUSED} (${String(uri)})`));
  return { ...base, load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

/** The spec without `usermeta.embedOptions`; everything else untouched. */
export function withoutEmbedOptions(spec: Record<string, JSONValue>): Record<string, JSONValue> {
  const usermeta = spec.usermeta;
  if (typeof usermeta !== 'object' || usermeta === null || Array.isArray(usermeta) || !('embedOptions' in usermeta)) return spec;
  const { embedOptions: _dropped, ...rest } = usermeta;
  return { ...spec, usermeta: rest };
}

/**
 * Draws a chart in the page's theme: in dark, vega-embed's dark theme (light text and axes) on the page's own
 * background instead of the theme's grey box. A spec's own `config` still wins over both.
 */
export async function embedChart(element: HTMLElement, spec: Record<string, JSONValue>, mode: ChartMode, theme: 'light' | 'dark' = 'light'): Promise<ChartHandle> {
  const [{ default: embed }, vega] = await Promise.all([import('vega-embed'), import('vega')]);
  const result = await embed(element, withoutEmbedOptions(spec), {
    mode,
    actions: false,
    ast: true,
    renderer: 'canvas',
    loader: refusingLoader(vega.loader()),
    logLevel: vega.Error,
    ...(theme === 'dark' ? { theme: 'dark' as const, config: { background: 'transparent' } } : {}),
  });
  return { finalize: () => result.finalize() };
}
