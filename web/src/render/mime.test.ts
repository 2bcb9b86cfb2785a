import { describe, expect, it } from 'vitest';
import { chooseMime, mimeJson, mimeText } from './mime.ts';

describe('chooseMime', () => {
  it('prefers a chart, then HTML, then images, then plain text', () => {
    expect(chooseMime({ 'text/plain': 'x', 'application/vnd.vegalite.v4+json': {}, 'text/html': '<b>' })?.kind).toBe('vega-lite');
    expect(chooseMime({ 'text/plain': '<DataFrame>', 'text/html': '<table>' })?.mime).toBe('text/html');
    expect(chooseMime({ 'text/plain': 'fig', 'image/png': 'iVBOR', 'image/svg+xml': '<svg/>' })?.mime).toBe('image/svg+xml');
    expect(chooseMime({ 'text/plain': '{}', 'application/json': { a: 1 } })?.kind).toBe('json');
    expect(chooseMime({ 'text/plain': '1' })?.kind).toBe('text');
  });

  it('returns null when nothing is renderable', () => {
    expect(chooseMime({ 'application/vnd.jupyter.widget-view+json': { model_id: 'x' } })).toBeNull();
    expect(chooseMime({ 'text/html': null })).toBeNull();
  });
});

describe('mimeText and mimeJson', () => {
  it('joins lists of lines and parses string specs', () => {
    expect(mimeText(['a\n', 'b'])).toBe('a\nb');
    expect(mimeText(undefined)).toBe('');
    expect(mimeJson('{"mark":"bar"}')).toEqual({ mark: 'bar' });
    expect(mimeJson('[1]')).toBeNull();
    expect(mimeJson('nope')).toBeNull();
  });
});
