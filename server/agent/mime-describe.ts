/**
 * Short descriptions of rich outputs for the model: a vega-lite chart as its mark, encodings and data size; an
 * image as its type and size; a pandas DataFrame as its shape, columns and first rows. The model needs to know
 * what a cell produced, not the bytes of it.
 */
import type { JSONObject, JSONValue } from '../protocol/index.ts';
import { cutText, htmlToText } from './text-shaping.ts';

function isObject(value: JSONValue | undefined): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function markName(mark: JSONValue | undefined): string | null {
  if (typeof mark === 'string') return mark;
  if (isObject(mark) && typeof mark['type'] === 'string') return mark['type'];
  return null;
}

function channelText(channel: string, def: JSONValue | undefined): string {
  if (!isObject(def)) return channel;
  const field = typeof def['field'] === 'string' ? def['field'] : null;
  const aggregate = typeof def['aggregate'] === 'string' ? def['aggregate'] : null;
  const timeUnit = typeof def['timeUnit'] === 'string' ? def['timeUnit'] : null;
  let what = field ?? (aggregate === 'count' ? '' : 'value' in def ? 'constant' : '?');
  if (timeUnit) what = `${timeUnit}(${what})`;
  if (aggregate) what = `${aggregate}(${what})`;
  if (def['bin']) what = `bin(${what})`;
  const type = typeof def['type'] === 'string' ? `:${def['type']}` : '';
  return `${channel}=${what}${type}`;
}

function dataRows(spec: JSONObject, root: JSONObject): { rows: JSONValue[] | null; note: string | null } {
  const data = spec['data'];
  if (isObject(data)) {
    if (Array.isArray(data['values'])) return { rows: data['values'], note: null };
    const datasets = root['datasets'];
    if (typeof data['name'] === 'string' && isObject(datasets)) {
      const named = datasets[data['name']];
      if (Array.isArray(named)) return { rows: named, note: null };
    }
    if (typeof data['url'] === 'string') return { rows: null, note: `data from ${data['url']}` };
  }
  return { rows: null, note: null };
}

function viewText(spec: JSONObject, root: JSONObject): string {
  const parts: string[] = [];
  const layers = spec['layer'];
  const mark = markName(spec['mark']);
  if (mark) parts.push(mark);
  else if (Array.isArray(layers)) parts.push(`layers of ${layers.map((l) => (isObject(l) ? markName(l['mark']) ?? 'view' : 'view')).join(' + ')}`);
  for (const key of ['hconcat', 'vconcat', 'concat'] as const) {
    const views = spec[key];
    if (Array.isArray(views)) parts.push(`${key} of ${views.length} views`);
  }
  if (isObject(spec['facet']) || spec['repeat'] !== undefined) parts.push('faceted/repeated');
  const encoding = spec['encoding'];
  if (isObject(encoding)) parts.push(Object.entries(encoding).map(([channel, def]) => channelText(channel, def)).join(', '));
  const { rows, note } = dataRows(spec, root);
  if (rows) {
    parts.push(`${rows.length} rows`);
    if (rows.length > 0) parts.push(`first row ${cutText(JSON.stringify(rows[0]), 200)}`);
  } else if (note) parts.push(note);
  return parts.join('; ');
}

/**
 * @example
 *   describeVegaLite(spec, 'application/vnd.vegalite.v4+json')
 *   // → '[vega-lite chart: bar; x=region:nominal, y=sum(sales):quantitative; 4 rows; first row {"region":"N","sales":3}; title "Sales"]'
 */
export function describeVegaLite(spec: JSONValue, mime: string): string {
  if (!isObject(spec)) return `[${mime}: not a vega-lite spec]`;
  let text = viewText(spec, spec);
  // A chart whose data sits in the top-level `datasets` but whose marks are in layers: count the rows there.
  if (!/\brows\b/.test(text) && isObject(spec['datasets'])) {
    const counts = Object.values(spec['datasets']).map((d) => (Array.isArray(d) ? d.length : 0));
    text += `; ${counts.reduce((a, b) => a + b, 0)} rows`;
  }
  const title = spec['title'];
  const titleText = typeof title === 'string' ? title : isObject(title) && typeof title['text'] === 'string' ? title['text'] : null;
  if (titleText) text += `; title ${JSON.stringify(titleText)}`;
  return `[vega-lite chart: ${text}]`;
}

function decodeBase64Prefix(data: string, bytes: number): Uint8Array {
  const clean = data.replace(/\s+/g, '');
  const chars = Math.min(clean.length - (clean.length % 4), Math.ceil(bytes / 3) * 4);
  return Buffer.from(clean.slice(0, chars), 'base64');
}

/** Width and height from the image header (PNG, GIF, JPEG), or null. */
export function imageSize(mime: string, base64: string): { width: number; height: number } | null {
  if (mime === 'image/png') {
    const b = decodeBase64Prefix(base64, 24);
    if (b.length < 24) return null;
    return { width: readUInt32BE(b, 16), height: readUInt32BE(b, 20) };
  }
  if (mime === 'image/gif') {
    const b = decodeBase64Prefix(base64, 10);
    if (b.length < 10) return null;
    return { width: b[6]! | (b[7]! << 8), height: b[8]! | (b[9]! << 8) };
  }
  if (mime === 'image/jpeg') {
    const b = decodeBase64Prefix(base64, 65_536);
    // Walk the JPEG segments to the first start-of-frame marker, which holds the size.
    for (let i = 2; i + 9 < b.length; ) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1]!;
      const length = (b[i + 2]! << 8) | b[i + 3]!;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
      }
      i += 2 + length;
    }
  }
  return null;
}

function readUInt32BE(b: Uint8Array, offset: number): number {
  return ((b[offset]! << 24) >>> 0) + (b[offset + 1]! << 16) + (b[offset + 2]! << 8) + b[offset + 3]!;
}

/**
 * @example
 *   describeImage('image/png', data, '<Figure size 640x480 with 1 Axes>') // → '[image/png 640x480 chart]'
 */
export function describeImage(mime: string, base64: string, plain?: string): string {
  const size = imageSize(mime, base64);
  const isChart = plain !== undefined && /Figure|Axes|Chart/i.test(plain);
  return `[${mime}${size ? ` ${size.width}x${size.height}` : ''} ${isChart ? 'chart' : 'image'}]`;
}

/** True for the HTML pandas writes for a DataFrame. */
export function isDataFrameHtml(html: string): boolean {
  return /<table[^>]*class="[^"]*\bdataframe\b/i.test(html);
}

function dataFrameShape(html: string, plain: string | undefined): { rows: number; columns: number } | null {
  const fromHtml = /<p>\s*(\d+)\s+rows\s*(?:×|&times;|x)\s*(\d+)\s+columns\s*<\/p>/i.exec(html);
  const fromPlain = plain ? /\[(\d+) rows x (\d+) columns\]/.exec(plain) : null;
  const match = fromHtml ?? fromPlain;
  if (match) return { rows: Number(match[1]), columns: Number(match[2]) };
  // Small frames are shown whole, without a shape line: count the table.
  const body = /<tbody>([\s\S]*?)<\/tbody>/i.exec(html)?.[1];
  const columns = dataFrameColumns(html);
  if (!body || !columns) return null;
  return { rows: (body.match(/<tr\b/gi) ?? []).length, columns: columns.length };
}

function dataFrameColumns(html: string): string[] | null {
  const headRow = /<thead>[\s\S]*?<tr[^>]*>([\s\S]*?)<\/tr>/i.exec(html)?.[1];
  if (!headRow) return null;
  const cells = [...headRow.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/gi)].map((m) => htmlToText(m[1] ?? ''));
  // The first header cell stands above the index.
  return cells.slice(1);
}

/**
 * A DataFrame as its shape, its columns and its first (and last) rows, from pandas' HTML and text reprs.
 *
 * @example
 *   describeDataFrame(html, plain, 1500)
 *   // → 'DataFrame: 1000 rows × 3 columns (date, region, sales)\n        date region  sales\n0 …'
 */
export function describeDataFrame(html: string, plain: string | undefined, maxChars: number): string {
  const shape = dataFrameShape(html, plain);
  const columns = dataFrameColumns(html)?.filter((c) => c !== '...');
  const shapeText = shape ? `${shape.rows} rows × ${shape.columns} columns` : 'shape unknown';
  const columnText = columns && columns.length > 0 ? ` (${cutText(columns.join(', '), 600)})` : '';
  const header = `DataFrame: ${shapeText}${columnText}`;
  const table = plain ?? htmlToText(html);
  return `${header}\n${cutText(table, Math.max(200, maxChars - header.length - 1), 24)}`;
}
