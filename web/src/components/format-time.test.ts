import { describe, expect, it } from 'vitest';
import { relativeTime } from './format-time.ts';

describe('relativeTime', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  it('reads like a person would say it', () => {
    expect(relativeTime('2025-06-01T11:59:50Z', now, 'en')).toBe('just now');
    expect(relativeTime('2025-06-01T11:55:00Z', now, 'en')).toBe('5 minutes ago');
    expect(relativeTime('2025-05-31T12:00:00Z', now, 'en')).toBe('yesterday');
    expect(relativeTime('garbage', now, 'en')).toBe('');
  });
});
