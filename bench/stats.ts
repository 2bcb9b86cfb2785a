/**
 * What every benchmark row is made of: samples summarised as p50/p99, a ratio against a baseline measured in the
 * same run, and the markdown table they are printed as.
 */

export interface Summary {
  p50: number;
  p99: number;
  n: number;
}

/** The nearest-rank percentile (`q` in 0..1) of `samples`; NaN for none. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarise(samples: readonly number[]): Summary {
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), n: samples.length };
}

/** A measured value with its unit: `ms`, `MB`, `count`, … */
export interface Measure {
  summary: Summary;
  unit: string;
}

/**
 * One line of the table: Cellmate's measure against its baseline's. `ratio` is Cellmate's p50 over the
 * baseline's p50 unless `invert` (for "how many times faster", e.g. cold start over warm pool).
 */
export interface Row {
  id: string;
  what: string;
  ours: Measure;
  baseline: Measure & { what: string };
  invert?: boolean;
  target?: string;
  note?: string;
}

export function ratio(row: Pick<Row, 'ours' | 'baseline' | 'invert'>, at: 'p50' | 'p99'): number {
  const ours = row.ours.summary[at];
  const base = row.baseline.summary[at];
  return row.invert ? base / ours : ours / base;
}

/** `12.3 ms`, `1,204 count` → `1,204`; three significant digits at most after the point for small values. */
export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '–';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === 'count' ? text : `${text} ${unit}`;
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

const pair = (m: Measure) => `${formatValue(m.summary.p50, m.unit)} / ${formatValue(m.summary.p99, m.unit)}`;

/** The rows as one markdown table. */
export function formatTable(rows: readonly Row[]): string {
  const lines = [
    '| # | what | Cellmate p50 / p99 | baseline | baseline p50 / p99 | ratio p50 | ratio p99 | target | n | note |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const cells = [
      row.id,
      row.what,
      pair(row.ours),
      row.baseline.what,
      pair(row.baseline),
      formatRatio(ratio(row, 'p50')),
      formatRatio(ratio(row, 'p99')),
      row.target ?? '',
      String(row.ours.summary.n),
      row.note ?? '',
    ];
    lines.push(`| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Runs `task` `warmup` times unmeasured, then `runs` times; the wall times in ms. */
export async function sample(runs: number, task: () => unknown, warmup = 1): Promise<number[]> {
  for (let n = 0; n < warmup; n++) await task();
  const samples: number[] = [];
  for (let n = 0; n < runs; n++) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  return samples;
}
