/**
 * Long terminal text, kept cheap to show. A flood (`while True: print(1)`) makes streams of a megabyte or more;
 * laying out (and colouring) all of it on every update would freeze the page, so a stream shows its last part
 * until the person asks for all of it. The server marks what its output caps cut; these helpers find the marks.
 */
import type { Output } from '../../../server/protocol/notebook.ts';

/** How much of a long stream is shown until "Show all": tens of thousands of short lines. */
export const STREAM_WINDOW_CHARS = 64 * 1024;

export interface TextWindow {
  /** What to show. */
  text: string;
  /** Characters left out before it (0: the whole text). */
  hiddenChars: number;
}

/**
 * The last `maxChars` or so of `text`. It starts after a line break when one is in the first half of the window
 * (so no line and no colour code is shown cut in two); otherwise it starts mid-line.
 */
export function tailWindow(text: string, maxChars: number): TextWindow {
  if (text.length <= maxChars) return { text, hiddenChars: 0 };
  let start = text.length - maxChars;
  const lineBreak = text.indexOf('\n', start);
  if (lineBreak >= 0 && lineBreak < start + maxChars / 2) start = lineBreak + 1;
  return { text: text.slice(start), hiddenChars: start };
}

// What server/kernels/outputs.ts appends to a stream it cut: "\n[Output truncated: <limits>]\n".
const STREAM_NOTE = /\n\[(Output truncated: [^\]\n]*)\]\n?$/;

/** Splits the server's "output truncated" note off the end of a stream, to show it as a note and not as output. */
export function splitTruncationNote(text: string): { body: string; note: string | null } {
  // Only the end can hold the note: scanning a megabyte for it on every update would be wasted work.
  const tailStart = Math.max(0, text.length - 2000);
  const match = STREAM_NOTE.exec(text.slice(tailStart));
  if (!match?.[1]) return { body: text, note: null };
  return { body: text.slice(0, tailStart + match.index), note: match[1] };
}

/** The note the server puts in place of outputs its caps dropped (metadata `cellmate.truncated`). */
export function truncationNoteText(output: Output): string | null {
  if (output.output_type !== 'display_data') return null;
  const cellmate = output.metadata['cellmate'];
  if (typeof cellmate !== 'object' || cellmate === null || Array.isArray(cellmate) || cellmate['truncated'] !== true) return null;
  const text = output.data['text/plain'];
  return typeof text === 'string' ? text.replace(/^\[|\]$/g, '') : 'Output truncated';
}
