/**
 * What the assistant is shown of a file attached by name, from its first bytes and its size: a CSV's header and
 * first rows, an image's pixel size (read from its header: PNG, JPEG, GIF, WebP), a text file's first lines,
 * or only the size of anything else. Pure: the caller reads the bytes (through the workspace's path checks).
 */
import { cutText } from './text-shaping.ts';

/** How much of a file is read to describe it. */
export const PREVIEW_BYTES = 64 * 1024;
/** Rows of a CSV shown after its header. */
export const CSV_ROWS = 5;
/** Characters of one CSV line (a very wide table is cut). */
const CSV_LINE_CHARS = 300;
/** Lines of another text file. */
const TEXT_LINES = 30;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** Width and height from an image's header, or null when the format isn't known or the header is cut. */
export function imageSize(bytes: Uint8Array): { width: number; height: number; format: string } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
  if (bytes.length >= 24 && ascii(1, 3) === 'PNG' && ascii(12, 4) === 'IHDR') {
    return { format: 'PNG', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes.length >= 10 && ascii(0, 4) === 'GIF8') return { format: 'GIF', width: view.getUint16(6, true), height: view.getUint16(8, true) };
  if (bytes.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    const chunk = ascii(12, 4);
    if (chunk === 'VP8X') return { format: 'WebP', width: 1 + (view.getUint32(24, true) & 0xffffff), height: 1 + (view.getUint32(27, true) & 0xffffff) };
    if (chunk === 'VP8 ') return { format: 'WebP', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = view.getUint32(21, true);
      return { format: 'WebP', width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
    }
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes, view);
  return null;
}

/** Walks a JPEG's segments to its frame header (SOF0–SOF15, except DHT, JPG and DAC). */
function jpegSize(bytes: Uint8Array, view: DataView): { width: number; height: number; format: string } | null {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    const length = view.getUint16(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { format: 'JPEG', height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    at += 2 + length;
  }
  return null;
}

/** Whether the bytes read as text (UTF-8 without NULs). */
function asText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The read may have cut a multi-byte character at its end: decode without the last few bytes.
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
    } catch {
      return null;
    }
  }
}

/**
 * The description of a file for the model, at most about `maxChars` characters.
 *
 * @example
 *   describeFile('sales.csv', 48_213, bytes, 3000)
 *   // 'CSV file, 47.1 kB. Header and first 5 rows:\ndate,region,amount\n2024-01-01,N,10\n…'
 */
export function describeFile(path: string, size: number, bytes: Uint8Array, maxChars: number): string {
  const sizeText = formatSize(size);
  const image = imageSize(bytes);
  if (image) return `${image.format} image, ${image.width} × ${image.height} pixels, ${sizeText}.`;
  const text = asText(bytes);
  if (text === null) return `Binary file, ${sizeText} (contents not shown).`;
  const isComplete = bytes.length >= size;
  // A read that stopped mid-file ends in a partial line: drop it.
  const lines = (isComplete ? text : text.slice(0, Math.max(0, text.lastIndexOf('\n')))).split(/\r?\n/);
  if (/\.(csv|tsv)$/i.test(path)) {
    const shown = lines.filter((line) => line !== '').slice(0, CSV_ROWS + 1);
    const cut = shown.map((line) => (line.length > CSV_LINE_CHARS ? `${line.slice(0, CSV_LINE_CHARS)}…` : line));
    const rows = Math.max(0, shown.length - 1);
    return cutText(`${path.toLowerCase().endsWith('.tsv') ? 'TSV' : 'CSV'} file, ${sizeText}. Header and first ${rows} rows:\n${cut.join('\n')}`, maxChars);
  }
  const head = lines.slice(0, TEXT_LINES).join('\n');
  const more = lines.length > TEXT_LINES || !isComplete ? `\n[… the rest of the file is not shown]` : '';
  return cutText(`Text file, ${sizeText}. ${more ? `First ${Math.min(TEXT_LINES, lines.length)} lines` : 'Contents'}:\n${head}${more}`, maxChars);
}
