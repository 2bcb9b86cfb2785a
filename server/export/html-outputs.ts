/**
 * One output of a code cell as inert HTML for the export. Images become data-URL `<img>`s (an SVG in an `<img>`
 * never runs its scripts); HTML outputs go into `<iframe sandbox srcdoc>` without `allow-scripts`, so they keep
 * their tables and styles but nothing in them runs; markdown is rendered and sanitised; tracebacks keep their
 * colours through ansi_up (which escapes everything else).
 */
import { AnsiUp } from 'ansi_up';
import type { JSONValue, MimeBundle, Output } from '../protocol/index.ts';
import { escapeHtml, renderLatex, renderMarkdown, sanitizeAnsiHtml } from './sanitize.ts';

const RASTER = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
/** The richest type first, as JupyterLab picks them; types that need script (vega, widgets) are skipped. */
const ORDER = ['text/html', 'image/svg+xml', ...RASTER, 'text/markdown', 'text/latex', 'application/json', 'text/plain'] as const;

function text(value: JSONValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  return undefined;
}

/** ANSI colour codes as escaped, sanitised HTML spans. */
export function ansiToHtml(raw: string): string {
  const ansi = new AnsiUp();
  ansi.use_classes = false;
  ansi.url_allowlist = { http: 1, https: 1 };
  return sanitizeAnsiHtml(ansi.ansi_to_html(raw));
}

function pre(html: string, className: string): string {
  return `<pre class="${className}">${html}</pre>`;
}

/** Base64 as nbformat stores it (whitespace allowed), or undefined when it is anything else. */
function base64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(compact) ? compact : undefined;
}

/**
 * A rough height for a sandboxed frame: without script it can't measure itself. Tables get a line per row,
 * other HTML a line per 80 characters of text, within limits that keep a page readable.
 */
function frameHeight(html: string): number {
  const rows = (html.match(/<tr[\s>]/gi) ?? []).length;
  const lines = rows > 0 ? rows * 1.9 + 2 : html.replace(/<[^>]*>/g, '').length / 80 + (html.match(/<(br|p|div|li|h\d)[\s>]/gi) ?? []).length;
  return Math.round(Math.min(40, Math.max(3, lines + 2)) * 16);
}

function mimeBundle(data: MimeBundle): string {
  for (const mime of ORDER) {
    const raw = data[mime];
    if (raw === undefined) continue;
    const value = mime === 'application/json' ? JSON.stringify(raw, null, 2) : text(raw);
    if (value === undefined) continue;
    switch (mime) {
      case 'text/html': {
        // The frame's document inherits the page's CSP (no script, images only as data URLs) on top of the sandbox.
        const srcdoc = `<!doctype html><meta charset="utf-8"><style>body{font:14px/1.4 system-ui,sans-serif;margin:0}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px}</style>${value}`;
        return `<iframe class="output-html" sandbox="" referrerpolicy="no-referrer" style="height:${frameHeight(value)}px" srcdoc="${escapeHtml(srcdoc)}"></iframe>`;
      }
      case 'image/svg+xml':
        return `<img class="output-image" alt="SVG output" src="data:image/svg+xml;base64,${Buffer.from(value, 'utf8').toString('base64')}">`;
      case 'image/png':
      case 'image/jpeg':
      case 'image/gif':
      case 'image/webp': {
        const b64 = base64(value);
        if (b64 === undefined) continue;
        return `<img class="output-image" alt="${mime} output" src="data:${mime};base64,${b64}">`;
      }
      case 'text/markdown':
        return `<div class="output-markdown">${renderMarkdown(value)}</div>`;
      case 'text/latex':
        return `<div class="output-latex">${renderLatex(value)}</div>`;
      case 'application/json':
      case 'text/plain':
        return pre(ansiToHtml(value), 'output-text');
    }
  }
  const types = Object.keys(data).join(', ');
  return `<p class="output-missing">Output of type ${escapeHtml(types)} — shown only in a live notebook.</p>`;
}

export function renderOutput(output: Output): string {
  switch (output.output_type) {
    case 'stream':
      return pre(ansiToHtml(output.text), `output-stream ${output.name}`);
    case 'error':
      return pre(ansiToHtml(output.traceback.length > 0 ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`), 'output-error');
    case 'display_data':
    case 'execute_result':
      return mimeBundle(output.data);
  }
}
