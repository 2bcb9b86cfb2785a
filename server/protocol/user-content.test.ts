import { describe, expect, it } from 'vitest';
import { userContentHref, userContentName } from './user-content.ts';

describe('user-content names', () => {
  it('prefixes ids and names once', () => {
    expect(userContentName('MathJax')).toBe('user-content-MathJax');
    expect(userContentName('user-content-MathJax')).toBe('user-content-MathJax');
  });

  it('points in-document links at the prefixed ids and leaves other links alone', () => {
    expect(userContentHref('#results')).toBe('#user-content-results');
    expect(userContentHref('#user-content-results')).toBe('#user-content-results');
    expect(userContentHref('#')).toBe('#');
    expect(userContentHref('https://example.com/#results')).toBe('https://example.com/#results');
    expect(userContentHref('notes.md#results')).toBe('notes.md#results');
  });
});
