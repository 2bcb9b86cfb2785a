import { describe, expect, it } from 'vitest';
import { escapeBidiControls, visibleName } from './visible-name.ts';

describe('visibleName', () => {
  it('writes out a right-to-left override, so a notebook cannot pass for a PDF', () => {
    expect(visibleName('invoice\u202Efdp.ipynb')).toBe('invoice<U+202E>fdp.ipynb');
  });

  it('writes out every bidirectional control and control character', () => {
    const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\n', '\t', '\u0000', '\u007F', '\u009B'];
    expect(controls.map((char) => visibleName(`a${char}b`))).toEqual(
      ['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069', '200E', '200F', '061C', '000A', '0009', '0000', '007F', '009B'].map((hex) => `a<U+${hex}>b`),
    );
  });

  it('leaves ordinary names alone: accents, right-to-left scripts, emoji with joiners', () => {
    for (const name of ['Sales 2024.ipynb', 'données/été.ipynb', 'تقرير.ipynb', 'family 👨‍👩‍👧.ipynb', 'naïve\u200Cname.ipynb']) expect(visibleName(name)).toBe(name);
  });
});

describe('escapeBidiControls', () => {
  it('writes out the bidirectional controls of a message and keeps its line breaks', () => {
    expect(escapeBidiControls('Not found: "invoice\u202Efdp.ipynb"\nTry again')).toBe('Not found: "invoice<U+202E>fdp.ipynb"\nTry again');
  });
});
