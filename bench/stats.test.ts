import { describe, expect, it } from 'vitest';
import { formatTable, percentile, ratio, summarise, type Row } from './stats.ts';

const ms = (samples: number[]) => ({ summary: summarise(samples), unit: 'ms' });

describe('the benchmark table', () => {
  it('takes nearest-rank percentiles, whatever the order of the samples', () => {
    const samples = Array.from({ length: 100 }, (_, n) => 100 - n); // 100 … 1
    expect(percentile(samples, 0.5)).toBe(50);
    expect(percentile(samples, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('divides Cellmate by the baseline, or the baseline by Cellmate for an inverted row', () => {
    const row = { ours: ms([10, 20, 30]), baseline: { what: 'direct', ...ms([5, 10, 15]) } };
    expect(ratio(row, 'p50')).toBe(2);
    expect(ratio(row, 'p99')).toBe(2);
    expect(ratio({ ...row, invert: true }, 'p50')).toBe(0.5);
  });

  it('prints one markdown row per measure, with both percentiles, both ratios, and escaped pipes', () => {
    const rows: Row[] = [
      { id: '1a', what: 'round trip', ours: ms([12, 14]), baseline: { what: 'direct', ...ms([10, 10]) }, target: '≤ 1.15×' },
      { id: '2', what: 'first result', ours: ms([80]), baseline: { what: 'cold', ...ms([1234]) }, invert: true, note: 'a | b' },
      { id: '3', what: 'messages', ours: { summary: summarise([1500]), unit: 'count' }, baseline: { what: 'iopub', summary: summarise([3000]), unit: 'count' } },
      { id: '4', what: 'failed', ours: ms([]), baseline: { what: '–', ...ms([]) } },
    ];
    expect(formatTable(rows).split('\n').slice(2)).toEqual([
      '| 1a | round trip | 12.0 ms / 14.0 ms | direct | 10.0 ms / 10.0 ms | 1.20× | 1.40× | ≤ 1.15× | 2 |  |',
      '| 2 | first result | 80.0 ms / 80.0 ms | cold | 1,234 ms / 1,234 ms | 15.43× | 15.43× |  | 1 | a \\| b |',
      '| 3 | messages | 1,500 / 1,500 | iopub | 3,000 / 3,000 | 0.50× | 0.50× |  | 1 |  |',
      '| 4 | failed | – / – | – | – / – | – | – |  | 0 |  |',
    ]);
  });
});
