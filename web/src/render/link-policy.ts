/**
 * Links in rendered markdown and outputs open in a new tab without a reference back to the app
 * (`noopener`: the new page can't navigate or script this one through `window.opener`). In-page anchors stay.
 */
export interface LinkTarget {
  target: '_blank';
  rel: 'noopener noreferrer';
}

export function linkTarget(href: string | null): LinkTarget | null {
  if (!href || href.startsWith('#')) return null;
  return { target: '_blank', rel: 'noopener noreferrer' };
}

/** Resolves `attachment:name` image sources of a markdown cell to data URLs from its `attachments`. */
export function attachmentUrl(href: string, attachments: Record<string, unknown> | undefined): string | null {
  if (!href.startsWith('attachment:') || !attachments) return null;
  const bundle = attachments[decodeURIComponentSafe(href.slice('attachment:'.length))];
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) return null;
  for (const [mime, data] of Object.entries(bundle)) {
    if (typeof data !== 'string') continue;
    if (mime === 'image/svg+xml') return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(data)}`;
    if (/^image\/(png|jpeg|gif|webp|bmp)$/.test(mime)) return `data:${mime};base64,${data.replace(/\s+/g, '')}`;
  }
  return null;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The host of an image the page's policy blocks (`img-src 'self' data: blob:`): an http(s) address on another
 * origin, protocol-relative ones included; null for images the page can show.
 *
 * @example remoteImageHost('https://example.com/a.png', 'http://127.0.0.1:8765') // 'example.com'
 */
export function remoteImageHost(src: string, pageOrigin: string): string | null {
  let url: URL;
  try {
    url = new URL(src.trim(), `${pageOrigin}/`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin === pageOrigin ? null : url.host;
}
