/**
 * Positions in text two ways: the Jupyter protocol (5.2+) counts Unicode code points (`cursor_pos`,
 * `cursor_start`), JavaScript strings and CodeMirror count UTF-16 units. They differ by one for every character
 * outside the Basic Multilingual Plane (emoji, some CJK, math letters) before the position.
 *
 * @example
 *   toCodePoints('😀 = 1', 2) // 1: the emoji is two UTF-16 units but one code point
 *   toUtf16('😀 = 1', 1)      // 2
 */

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** The code point offset of UTF-16 `offset` in `text` (an offset inside a surrogate pair counts as after it). */
export function toCodePoints(text: string, offset: number): number {
  const end = Math.min(Math.max(0, offset), text.length);
  let points = 0;
  for (let i = 0; i < end; i++) {
    // The second half of a pair is the same code point as the first.
    if (!(isLowSurrogate(text.charCodeAt(i)) && i > 0 && isHighSurrogate(text.charCodeAt(i - 1)))) points++;
  }
  return points;
}

/** The UTF-16 offset of code point offset `points` in `text` (clamped to its length). */
export function toUtf16(text: string, points: number): number {
  let offset = 0;
  for (let seen = 0; seen < points && offset < text.length; seen++) {
    const isPair = isHighSurrogate(text.charCodeAt(offset)) && isLowSurrogate(text.charCodeAt(offset + 1));
    offset += isPair ? 2 : 1;
  }
  return offset;
}

/** How many code points `text` holds. */
export function codePointLength(text: string): number {
  return toCodePoints(text, text.length);
}
