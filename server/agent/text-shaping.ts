/**
 * Plain-text tools for what the model reads: cut long text to a budget (head and tail, with a note of what was
 * cut), strip terminal colour codes from tracebacks, turn HTML into readable text.
 */

/** Room kept for the cut note, so head + note + tail stays within the budget. */
const NOTE_ROOM = 48;

/** The note that stands where text was cut. */
export function cutNote(lines: number, chars: number): string {
  return `[… ${lines} lines / ${chars} chars cut …]`;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

/** Index just after the `n`-th newline from the start, or `text.length`. */
function afterLines(text: string, n: number): number {
  let index = 0;
  for (let i = 0; i < n; i++) {
    const next = text.indexOf('\n', index);
    if (next < 0) return text.length;
    index = next + 1;
  }
  return index;
}

/** Index of the start of the `n`-th line from the end, or 0. */
function beforeLines(text: string, n: number): number {
  let index = text.endsWith('\n') ? text.length - 1 : text.length;
  for (let i = 0; i < n; i++) {
    const previous = text.lastIndexOf('\n', index - 1);
    if (previous < 0) return 0;
    index = previous;
  }
  return index + 1;
}

/**
 * Keeps the head and the tail of `text` within `maxChars` (and `maxLines`), replacing the middle with a note
 * such as `[… 99960 lines / 688890 chars cut …]`. Cuts at line boundaries when one is near, so the model reads
 * whole lines. The tail gets a little more room than the head: errors and results tend to come last.
 *
 * @example
 *   cutText(hundredThousandLines, 2000) // first ~800 chars, the note, last ~1150 chars
 */
export function cutText(text: string, maxChars: number, maxLines = Number.POSITIVE_INFINITY): string {
  const lineCount = countNewlines(text) + (text.endsWith('\n') || text === '' ? 0 : 1);
  if (text.length <= maxChars && lineCount <= maxLines) return text;
  const room = Math.max(0, maxChars - NOTE_ROOM);
  const headChars = Math.floor(room * 0.42);
  const tailChars = room - headChars;

  let headEnd = Math.min(headChars, text.length);
  if (Number.isFinite(maxLines)) headEnd = Math.min(headEnd, afterLines(text, Math.floor(maxLines / 2)));
  // Snap back to a line end when it costs at most a fifth of the head.
  const headBreak = text.lastIndexOf('\n', headEnd - 1);
  if (headBreak >= 0 && headEnd - (headBreak + 1) <= headChars / 5) headEnd = headBreak + 1;

  let tailStart = Math.max(text.length - tailChars, headEnd);
  if (Number.isFinite(maxLines)) tailStart = Math.max(tailStart, beforeLines(text, Math.ceil(maxLines / 2)));
  const tailBreak = tailStart > 0 && text[tailStart - 1] !== '\n' ? text.indexOf('\n', tailStart) : -1;
  if (tailBreak >= 0 && tailBreak + 1 - tailStart <= tailChars / 5 && tailBreak + 1 < text.length) tailStart = tailBreak + 1;

  const middle = text.slice(headEnd, tailStart);
  if (middle.length === 0) return text;
  const head = text.slice(0, headEnd);
  const separatorBefore = head === '' || head.endsWith('\n') ? '' : '\n';
  return `${head}${separatorBefore}${cutNote(countNewlines(middle), middle.length)}\n${text.slice(tailStart)}`;
}

// CSI sequences (colours, cursor moves), OSC sequences (hyperlinks, titles) and the two-byte escapes.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Removes terminal escape codes (IPython colours its tracebacks). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', times: '×' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return safeCodePoint(parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeCodePoint(parseInt(name.slice(1), 10), whole);
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/**
 * HTML as the text a reader would see: scripts and styles dropped, block ends as newlines, table cells joined
 * with ` | `, entities decoded, blank runs collapsed. Not a full HTML parser; good enough for model context.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|svg)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(td|th)\s*>\s*(?=<t[dh]\b)/gi, ' | ')
    .replace(/<\/(p|div|tr|li|h[1-6]|table|thead|tbody|pre|blockquote|section|header|footer)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
