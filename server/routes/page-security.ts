/**
 * Security headers for the app's own page (index.html and its assets). The policy allows only the app's bundled
 * code: no inline script but one — the height reporter of HTML output frames, by hash, because a srcdoc frame
 * inherits this policy on top of its own nonce-based one. Styles may be inline (CodeMirror and vega inject
 * <style> elements; ANSI colours are style attributes). No 'unsafe-eval': charts run vega's expression
 * interpreter (`ast: true` in web/src/render/vega.ts).
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HEIGHT_REPORTER } from '../protocol/frame.ts';

/** The CSP source expression for an inline script's exact text. */
export function scriptHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

export const PAGE_CSP = [
  "default-src 'self'",
  `script-src 'self' ${scriptHash(HEIGHT_REPORTER)}`,
  "style-src 'self' 'unsafe-inline'",
  // Output images and cell attachments are data: URLs; downloads are made from blob: URLs.
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // 'self' also matches the notebook WebSocket (ws: or wss: on the same host, CSP level 3).
  "connect-src 'self'",
  // HTML outputs are srcdoc frames, which frame-src does not govern; nothing else is framed or run as a worker.
  "frame-src 'none'",
  "child-src 'none'",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': PAGE_CSP,
  // For browsers that predate frame-ancestors: the app is never shown inside another page.
  'x-frame-options': 'DENY',
  // Links open with noopener anyway; this also cuts the tie to any window that opened the app.
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export function pageSecurityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(PAGE_HEADERS)) c.header(name, value);
  };
}
