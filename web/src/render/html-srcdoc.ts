/**
 * HTML outputs live in an iframe with `sandbox="allow-scripts"` (no `allow-same-origin`: an opaque origin that
 * can't reach the app, its storage or its token). Its document starts with a Content-Security-Policy that only
 * lets our nonce'd script run — the one reporting the content height — so the output's own scripts don't run,
 * nothing is fetched, and images come only from data: URLs. That script's text is shared with the server, which
 * allows it by hash in the page's own policy (a srcdoc frame inherits that policy too).
 */
import { FRAME_HEIGHT_MESSAGE, HEIGHT_REPORTER } from '../../../server/protocol/frame.ts';

export { FRAME_HEIGHT_MESSAGE, HEIGHT_REPORTER };

/** Frames taller than this scroll inside themselves instead of pushing the notebook around. */
export const MAX_FRAME_HEIGHT = 4000;

const BASE_STYLE =
  'body{margin:0;padding:4px 2px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;overflow-x:auto}' +
  'table{border-collapse:collapse;font-size:13px}th,td{padding:4px 10px;text-align:right}img{max-width:100%}';

/**
 * The frame's colours follow the page's theme. Its `color-scheme` matches the page's, so the frame stays
 * transparent over the output (a frame whose scheme differs from its page's gets an opaque backdrop).
 */
const THEME_STYLE = {
  light:
    'html{color-scheme:light}body{color:#1f2328}th,td{border-bottom:1px solid #e3e6ea}thead th{border-bottom:1px solid #c9ced4}' +
    'table,th,td{border-color:#c9ced4}tbody tr:nth-child(odd){background:#f7f8fa}a{color:#2f6fde}',
  dark:
    'html{color-scheme:dark}body{color:#e3e6ea}th,td{border-bottom:1px solid #2f343c}thead th{border-bottom:1px solid #464d58}' +
    'table,th,td{border-color:#464d58}tbody tr:nth-child(odd){background:#1f2328}a{color:#79a8ff}',
} as const;

export function frameCsp(nonce: string): string {
  return [
    "default-src 'none'",
    'img-src data:',
    "style-src 'unsafe-inline'",
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The frame's document. The CSP meta comes first, before anything of the output, so it is in force for all of
 * it (srcdoc documents are never in quirks mode, so no doctype is needed ahead of it).
 */
export function buildSrcdoc(html: string, nonce: string, theme: 'light' | 'dark' = 'light'): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('A frame nonce must be long and attribute-safe');
  return (
    `<meta http-equiv="Content-Security-Policy" content="${frameCsp(nonce)}">` +
    `<meta charset="utf-8"><style>${BASE_STYLE}${THEME_STYLE[theme]}</style>` +
    `<script nonce="${nonce}">${HEIGHT_REPORTER}</script>` +
    html
  );
}

/** 128 random bits, base64url: unguessable by the output, safe inside an attribute. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The height carried by a frame's message, or null if the message is anything else. */
export function readFrameHeight(data: unknown): number | null {
  if (typeof data !== 'object' || data === null || !('type' in data) || !('height' in data)) return null;
  if (data.type !== FRAME_HEIGHT_MESSAGE || typeof data.height !== 'number' || !Number.isFinite(data.height)) return null;
  return Math.min(MAX_FRAME_HEIGHT, Math.max(0, Math.ceil(data.height)));
}
