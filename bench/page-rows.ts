/**
 * Row 4: the notebook page in Chromium, opening a 2,000-cell notebook against a 100-cell one until the first
 * cell's editor shows (4a) and from its snapshot until its first screen is painted (4b; bench/page-open.ts does
 * the opening and says what counts as painted), and a keystroke's time to the screen in cell 1,900 of 2,000
 * against cell 50 of 100 (bench/keystroke-paint.ts). Needs the built page (`npm run build`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/helpers/browser.ts';
import type { TestCellmate } from '../tests/helpers/cellmate.ts';
import { keystrokePaintTimes } from './keystroke-paint.ts';
import { pageOpenTimes } from './page-open.ts';
import { SETTINGS } from './settings.ts';
import { summarise, type Row } from './stats.ts';

export async function pageRows(cm: TestCellmate): Promise<Row[]> {
  if (!existsSync(fileURLToPath(new URL('../web/dist/index.html', import.meta.url)))) throw new Error('the page is not built: run `npm run build` first');
  const browser = await launchChromium();
  try {
    const times = await pageOpenTimes(cm, browser, [100, 2000], SETTINGS.pageRuns);
    const small = times.get(100)!;
    const large = times.get(2000)!;
    const keys = SETTINGS.pageRuns * 20;
    const [near, deep] = [await keystrokePaintTimes(cm, browser, 100, 50, keys), await keystrokePaintTimes(cm, browser, 2000, 1900, keys)];
    return [
      {
        id: '4a',
        what: 'open a 2,000-cell notebook in Chromium until its first editor shows',
        ours: { summary: summarise(large.samples), unit: 'ms' },
        baseline: { what: 'the same page with 100 cells', summary: summarise(small.samples), unit: 'ms' },
        target: '≤ 3×',
        note: `${large.rendered} of 2,000 cells in the DOM (windowed)`,
      },
      {
        id: '4b',
        what: 'the first screen of a 2,000-cell notebook painted (every cell in view shows its code), from the arrival of its snapshot',
        ours: { summary: summarise(large.afterSnapshot), unit: 'ms' },
        baseline: { what: 'the same page with 100 cells', summary: summarise(small.afterSnapshot), unit: 'ms' },
        target: '≤ 300 ms',
      },
      {
        id: '4c',
        what: 'a keystroke in cell 1,900 of 2,000, from the key event to the frame that shows it',
        ours: { summary: summarise(deep), unit: 'ms' },
        baseline: { what: 'cell 50 of 100', summary: summarise(near), unit: 'ms' },
        target: 'within one frame (16.7 ms at 60 Hz)',
      },
    ];
  } finally {
    await browser.close();
  }
}
