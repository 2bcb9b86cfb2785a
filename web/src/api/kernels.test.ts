import { describe, expect, it } from 'vitest';
import { parseKernelsOverview, sandboxSummary } from './kernels.ts';

const answer = {
  default: 'python3',
  specs: [{ name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' }, { name: 'broken' }],
  sandbox: { enabled: false, reason: 'bwrap is not installed' },
  jupyter: { state: 'running', embedded: true, restarts: 0 },
  pool: { size: 1, ready: 1, starting: 0, kernel: 'python3' },
};

describe('parseKernelsOverview', () => {
  it('keeps well-formed specs and the statuses', () => {
    const overview = parseKernelsOverview(answer);
    expect(overview.specs.map((spec) => spec.name)).toEqual(['python3']);
    expect(overview.jupyter).toEqual({ state: 'running', embedded: true, restarts: 0 });
    expect(overview.pool).toEqual({ size: 1, ready: 1, starting: 0, kernel: 'python3' });
  });

  it('refuses an answer without the kernel side status', () => {
    expect(() => parseKernelsOverview({ default: 'python3', specs: [] })).toThrow(/sandbox/);
    expect(() => parseKernelsOverview({ ...answer, jupyter: { state: 'on fire', embedded: true } })).toThrow(/jupyter/);
  });
});

describe('sandboxSummary', () => {
  it('says what a sandboxed kernel cannot do, or why there is no sandbox', () => {
    expect(sandboxSummary({ enabled: true, reason: 'bwrap' })).toBe('Sandboxed: no network, workspace only');
    expect(sandboxSummary({ enabled: true, reason: 'bwrap', network: true })).toBe('Sandboxed: workspace only (network allowed)');
    expect(sandboxSummary({ enabled: false, reason: 'bwrap is not installed' })).toBe('Not sandboxed: bwrap is not installed');
  });
});
