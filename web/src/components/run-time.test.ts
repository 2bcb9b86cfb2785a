import { describe, expect, it } from 'vitest';
import { describeRun, formatDuration, formatEnd } from './run-time.ts';

describe('formatDuration', () => {
  it('reads short runs in ms, then seconds with one decimal, then whole units', () => {
    expect(formatDuration(45)).toBe('45 ms');
    expect(formatDuration(999.6)).toBe('1.0 s');
    expect(formatDuration(1250)).toBe('1.3 s');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(9_940)).toBe('9.9 s');
    expect(formatDuration(9_960)).toBe('10 s');
    expect(formatDuration(59_700)).toBe('1 min 0 s');
    expect(formatDuration(12_345)).toBe('12 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3_780_000)).toBe('1 h 3 min');
  });

  it('keeps a tenth of a second while a run ticks, up to a minute', () => {
    expect(formatDuration(0, { ticking: true })).toBe('0.0 s');
    expect(formatDuration(450, { ticking: true })).toBe('0.4 s');
    expect(formatDuration(12_345, { ticking: true })).toBe('12.3 s');
    expect(formatDuration(61_000, { ticking: true })).toBe('1 min 1 s');
  });

  it('never shows a negative time (a clock a little ahead)', () => {
    expect(formatDuration(-30)).toBe('0 ms');
    expect(formatDuration(-30, { ticking: true })).toBe('0.0 s');
  });
});

describe('formatEnd', () => {
  const now = new Date(2026, 2, 2, 18, 0).getTime();
  it('says the time of day for a run today, the date otherwise', () => {
    expect(formatEnd(new Date(2026, 2, 2, 14, 3, 12).getTime(), now, 'en-GB')).toBe('14:03');
    expect(formatEnd(new Date(2026, 2, 1, 14, 3).getTime(), now, 'en-GB')).toBe('1 Mar');
    expect(formatEnd(new Date(2025, 11, 24, 9, 0).getTime(), now, 'en-GB')).toBe('24 Dec 2025');
  });
});

describe('describeRun', () => {
  it('gives the exact duration, and says when no reply came', () => {
    const span = { startedAt: new Date(2026, 2, 2, 14, 3, 11, 52).getTime(), endedAt: new Date(2026, 2, 2, 14, 3, 12, 254).getTime() };
    expect(describeRun({ ...span, failed: false }, 'en-GB')).toBe('Last run finished 2 Mar 2026, 14:03:12, took 1.202 s');
    expect(describeRun({ ...span, failed: true }, 'en-GB')).toMatch(/^Last run ended without a reply .*, after 1.202 s$/);
  });
});
