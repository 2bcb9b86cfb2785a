/**
 * Row 4: the notebook page in Chromium, opening a 2,000-cell notebook against a 100-cell one until the first
 * cell's editor shows (bench/page-open.ts does the opening). Needs the built page (`npm run build`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/helpers/browser.ts';
import type { TestCellmate } from '../tests/helpers/cellmate.ts';
import { pageOpenTimes } from './page-open.ts';
import { SETTINGS } from './settings.ts';
import { summarise, type Row } from './stats.ts';

export async function pageOpenRow(cm: TestCellmate): Promise<Row> {
  if (!existsSync(fileURLToPath(new URL('../web/dist/index.html', import.meta.url)))) throw new Error('the page is not built: run `npm run build` first');
  const browser = await launchChromium();
  try {
    const times = await pageOpenTimes(cm, browser, [100, 2000], SETTINGS.pageRuns);
    const small = times.get(100)!;
    const large = times.get(2000)!;
    return {
      id: '4',
      what: 'open a 2,000-cell notebook in Chromium until its first editor shows',
      ours: { summary: summarise(large.samples), unit: 'ms' },
      baseline: { what: 'the same page with 100 cells', summary: summarise(small.samples), unit: 'ms' },
      target: '≤ 3×',
      note: `${large.rendered} of 2,000 cells in the DOM (windowed); keystroke paint time not measured yet`,
    };
  } finally {
    await browser.close();
  }
}
