/**
 * Images from outputs become data: URLs shown in <img>. SVG in particular is never put into the page as markup:
 * an <img> renders it without running its scripts or letting its styles leak into the app.
 */
const RASTER_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** A data: URL for base64 image data (line breaks allowed, as nbformat writes them); null if it isn't base64. */
export function base64ImageUrl(mime: string, data: string): string | null {
  if (!RASTER_TYPES.has(mime)) return null;
  const compact = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  return `data:${mime};base64,${compact}`;
}
