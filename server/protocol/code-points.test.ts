import { describe, expect, it } from 'vitest';
import { codePointLength, toCodePoints, toUtf16 } from './code-points.ts';

describe('code point positions', () => {
  const text = 'x = "😀" + "é𝔘"\nimport o';

  it('counts an astral character as one code point and two UTF-16 units', () => {
    expect(text.length).toBe(25);
    expect(codePointLength(text)).toBe(23);
    expect([...text].length).toBe(23);
  });

  it('converts every position both ways, as Array.from counts code points', () => {
    const points = [...text];
    for (let p = 0; p <= points.length; p++) {
      const utf16 = points.slice(0, p).join('').length;
      expect(toUtf16(text, p)).toBe(utf16);
      expect(toCodePoints(text, utf16)).toBe(p);
    }
  });

  it('maps a cursor at the end of a line after astral characters', () => {
    const cursor = text.length;
    expect(toCodePoints(text, cursor)).toBe(23);
    expect(toUtf16(text, 23)).toBe(cursor);
    // The kernel's cursor_start for "o" (one code point before the end) maps back to where "o" is.
    expect(text.slice(toUtf16(text, 23 - 1))).toBe('o');
  });

  it('clamps positions outside the text and counts a lone surrogate as a code point', () => {
    expect(toCodePoints('ab', 9)).toBe(2);
    expect(toCodePoints('ab', -3)).toBe(0);
    expect(toUtf16('ab', 9)).toBe(2);
    const lone = 'a\ud83db';
    expect(codePointLength(lone)).toBe(3);
    expect(toUtf16(lone, 2)).toBe(2);
  });

  it('counts an offset inside a pair as the code point after it', () => {
    expect(toCodePoints('😀x', 1)).toBe(1);
  });
});
