import { describe, expect, it } from 'vitest';
import { isJsonMime, joinMultiline, rejoinMimeBundle, splitLines, splitMimeBundle } from './multiline.ts';

describe('splitLines (Python str.splitlines)', () => {
  it('splits on every boundary Python knows, keeping the ends', () => {
    expect(splitLines('a\r\nb\rc\u2028d\x0be\x1cf\x85g\n\nh')).toEqual(['a\r\n', 'b\r', 'c\u2028', 'd\x0b', 'e\x1c', 'f\x85', 'g\n', '\n', 'h']);
  });

  it('gives [] for an empty string and no empty last line after a final newline', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['\n']);
    expect(splitLines('x\n')).toEqual(['x\n']);
  });

  it('drops the ends when asked', () => {
    expect(splitLines('a\r\nb\n', false)).toEqual(['a', 'b']);
  });
});

describe('mime bundles', () => {
  it('treats application/json and application/*+json as JSON', () => {
    expect(isJsonMime('application/json')).toBe(true);
    expect(isJsonMime('application/vnd.vegalite.v5+json')).toBe(true);
    expect(isJsonMime('text/json')).toBe(false);
    expect(isJsonMime('application/javascript')).toBe(false);
  });

  it('joins lists of lines except under JSON mime types', () => {
    const bundle = { 'text/plain': ['a\n', 'b'], 'image/png': ['iVBO', 'Rw0'], 'application/json': ['x', 'y'], 'application/x-custom': ['1', '2'] };
    expect(rejoinMimeBundle(bundle)).toEqual({ 'text/plain': 'a\nb', 'image/png': 'iVBORw0', 'application/json': ['x', 'y'], 'application/x-custom': '12' });
  });

  it('splits text/*, javascript and svg on write, and leaves images and JSON whole', () => {
    const bundle = { 'text/html': '<b>\n</b>', 'image/svg+xml': '<svg>\n</svg>', 'application/javascript': 'a;\nb;', 'image/png': 'iVBO\nRw0', 'application/json': { a: 1 } };
    expect(splitMimeBundle(bundle)).toEqual({
      'text/html': ['<b>\n', '</b>'],
      'image/svg+xml': ['<svg>\n', '</svg>'],
      'application/javascript': ['a;\n', 'b;'],
      'image/png': 'iVBO\nRw0',
      'application/json': { a: 1 },
    });
  });

  it('joins only strings and lists of strings', () => {
    expect(joinMultiline(['a', 'b'])).toBe('ab');
    expect(joinMultiline('ab')).toBe('ab');
    expect(joinMultiline(['a', 1])).toBeUndefined();
    expect(joinMultiline(undefined)).toBeUndefined();
  });
});
