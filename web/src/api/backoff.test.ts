import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles up to the cap', () => {
    const top = () => 1;
    expect([0, 1, 2, 3, 10, 50].map((n) => backoffDelay(n, { random: top }))).toEqual([250, 500, 1000, 2000, 10_000, 10_000]);
  });
  it('jitters but never reaches zero', () => {
    expect(backoffDelay(3, { random: () => 0 })).toBe(50);
    expect(backoffDelay(3, { random: () => 0.5 })).toBe(1000);
  });
});
