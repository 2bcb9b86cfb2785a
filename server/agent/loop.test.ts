import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, newTurnId, resolveLimits } from './loop.ts';

describe('turn limits', () => {
  it('fill in defaults, and an explicit undefined never removes a bound', () => {
    expect(resolveLimits()).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toMatchObject({ maxSteps: 20, cellTimeoutMs: 120_000, maxTokens: null });
    expect(resolveLimits({ maxSteps: undefined, cellTimeoutMs: 500, maxTokens: 10_000 })).toMatchObject({ maxSteps: 20, cellTimeoutMs: 500, maxTokens: 10_000 });
  });

  it('makes short, distinct turn ids', () => {
    const a = newTurnId();
    expect(a).toMatch(/^t-[0-9a-f]{8}$/);
    expect(newTurnId()).not.toBe(a);
  });
});
