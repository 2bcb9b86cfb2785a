import { describe, expect, it } from 'vitest';
import { isTooNarrow, SIDEBAR_PANEL_WIDTH, SIDEBAR_RAIL_WIDTH } from './sidebar-layout.ts';

describe('isTooNarrow', () => {
  it('keeps the sidebar beside the notebook and the assistant on a 1280-px screen', () => {
    expect(isTooNarrow(1280, 380)).toBe(false);
  });

  it('floats it when the notebook would keep less than 600 px', () => {
    expect(isTooNarrow(1000, 380)).toBe(true);
    const justEnough = 600 + 380 + SIDEBAR_RAIL_WIDTH + SIDEBAR_PANEL_WIDTH;
    expect(isTooNarrow(justEnough, 380)).toBe(false);
    expect(isTooNarrow(justEnough - 1, 380)).toBe(true);
  });

  it('counts the assistant only as wide as it is (collapsed: its rail)', () => {
    expect(isTooNarrow(1000, 44)).toBe(false);
  });
});
