/**
 * Which representation of an output to show. Like JupyterLab's rendermime, the richest type we can render
 * wins; unlike it, charts come before HTML: our HTML frame blocks the output's own scripts, so the HTML that
 * plotting libraries add next to a chart would show nothing useful, while vega renders natively here.
 */
import type { JSONValue, MimeBundle } from '../../../server/protocol/notebook.ts';

export type RenderKind = 'vega-lite' | 'vega' | 'html' | 'markdown' | 'latex' | 'svg' | 'image' | 'json' | 'text';

export interface MimeChoice {
  mime: string;
  kind: RenderKind;
}

/** Most preferred first. */
export const MIME_PREFERENCE: readonly MimeChoice[] = [
  { mime: 'application/vnd.vegalite.v6+json', kind: 'vega-lite' },
  { mime: 'application/vnd.vegalite.v5+json', kind: 'vega-lite' },
  { mime: 'application/vnd.vegalite.v4+json', kind: 'vega-lite' },
  { mime: 'application/vnd.vegalite.v3+json', kind: 'vega-lite' },
  { mime: 'application/vnd.vega.v6+json', kind: 'vega' },
  { mime: 'application/vnd.vega.v5+json', kind: 'vega' },
  { mime: 'text/html', kind: 'html' },
  { mime: 'text/markdown', kind: 'markdown' },
  { mime: 'text/latex', kind: 'latex' },
  { mime: 'image/svg+xml', kind: 'svg' },
  { mime: 'image/png', kind: 'image' },
  { mime: 'image/jpeg', kind: 'image' },
  { mime: 'image/gif', kind: 'image' },
  { mime: 'image/webp', kind: 'image' },
  { mime: 'image/bmp', kind: 'image' },
  { mime: 'application/json', kind: 'json' },
  { mime: 'text/plain', kind: 'text' },
];

export function chooseMime(bundle: MimeBundle): MimeChoice | null {
  return MIME_PREFERENCE.find((choice) => bundle[choice.mime] !== undefined && bundle[choice.mime] !== null) ?? null;
}

/** Text of a text mime type: nbformat joins multiline strings, but a list of lines is accepted too. */
export function mimeText(value: JSONValue | undefined): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((line) => typeof line === 'string')) return value.join('');
  if (value === undefined || value === null) return '';
  return JSON.stringify(value, null, 2);
}

/** A JSON mime value (a chart spec): objects as they are, strings parsed; anything else is not a spec. */
export function mimeJson(value: JSONValue | undefined): Record<string, JSONValue> | null {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return isJsonObject(parsed) ? parsed : null;
}

function isJsonObject(value: unknown): value is Record<string, JSONValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
