import { describe, expect, it } from 'vitest';
import { minimalChange } from './minimal-change.ts';

function apply(text: string, change: ReturnType<typeof minimalChange>): string {
  return change ? text.slice(0, change.from) + change.insert + text.slice(change.to) : text;
}

describe('minimalChange', () => {
  it('finds insertions, deletions and replacements in the middle', () => {
    expect(minimalChange('print(1)', 'print(12)')).toEqual({ from: 7, to: 7, insert: '2' });
    expect(minimalChange('abcdef', 'abef')).toEqual({ from: 2, to: 4, insert: '' });
    expect(minimalChange('x = 1\ny = 2', 'x = 1\ny = 3')).toEqual({ from: 10, to: 11, insert: '3' });
  });

  it('returns null for equal texts and round-trips repeated characters', () => {
    expect(minimalChange('same', 'same')).toBeNull();
    for (const [a, b] of [['aaa', 'aaaa'], ['', 'new'], ['old', ''], ['abab', 'ab'], ['é😀x', 'é😀yx']] as const) {
      expect(apply(a, minimalChange(a, b))).toBe(b);
    }
  });
});
