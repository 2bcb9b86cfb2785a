/**
 * How long a keystroke takes to reach the screen in a cell deep in a big notebook: from the key event to the
 * first frame after the editor's text changed, measured inside the page (so the test driver's own latency is
 * not counted). The cell is reached as a person would: End and a click on the last cell, K up to it, Enter.
 */
import type { Browser } from 'playwright-core';
import type { TestCellmate } from '../tests/helpers/cellmate.ts';
import { writePrintedCellsNotebook } from '../tests/fixtures/printed-cells.ts';

declare global {
  interface Window {
    /** Ms from each keydown to the frame that shows its character, filled by the listener installed below. */
    cellmatePaints?: number[];
  }
}

/** Installs, in the page, the measurement of every keystroke typed into the focused editor. */
function installPaintProbe(): void {
  window.cellmatePaints = [];
  document.addEventListener(
    'keydown',
    (event) => {
      const content = document.activeElement?.closest('.cm-content');
      if (!content) return;
      const started = event.timeStamp;
      const observer = new MutationObserver(() => {
        observer.disconnect();
        requestAnimationFrame(() => window.cellmatePaints?.push(performance.now() - started));
      });
      observer.observe(content, { childList: true, subtree: true, characterData: true });
    },
    { capture: true },
  );
}

/**
 * Ms from keydown to paint for `keys` keystrokes typed into cell `cellNumber` (1-based) of a `cells`-cell
 * notebook, after a few unmeasured ones.
 */
export async function keystrokePaintTimes(cellmate: TestCellmate, browser: Browser, cells: number, cellNumber: number, keys: number): Promise<number[]> {
  const path = `keys-${cells}.ipynb`;
  await writePrintedCellsNotebook(cellmate.workspace, path, cells);
  const page = await browser.newPage();
  try {
    await page.goto(`${cellmate.url}/notebooks/${encodeURIComponent(path)}?token=${cellmate.token}`);
    await page.locator('article.cell .cm-content').first().waitFor({ timeout: 600_000 });
    await page.evaluate(installPaintProbe);
    /** Waits until the cell with keyboard focus is the `n`th (1-based) of the notebook. */
    const focusedAt = (n: number) =>
      page.waitForFunction((at) => document.activeElement?.closest('article.cell')?.getAttribute('aria-posinset') === String(at), n, { timeout: 60_000 });
    await page.locator('article.cell .cell-prompt').first().click();
    await focusedAt(1);
    // End scrolls to the last cell (the selection stays); a click on it selects it.
    await page.keyboard.press('End');
    await page.locator(`article.cell[aria-posinset="${cells}"] .cell-prompt`).click({ timeout: 60_000 });
    await focusedAt(cells);
    for (let at = cells; at > cellNumber; at--) await page.keyboard.press('k');
    await focusedAt(cellNumber);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    const label = `Code cell ${cellNumber}`;
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    if (focused !== label) throw new Error(`expected to edit ${label}, the focus is on "${focused}"`);
    const warmUp = 5;
    for (let n = 0; n < warmUp + keys; n++) await page.keyboard.type(n % 10 === 9 ? ' ' : 'x');
    await page.waitForFunction((count) => (window.cellmatePaints?.length ?? 0) >= count, warmUp + keys, { timeout: 60_000 });
    const paints = await page.evaluate(() => window.cellmatePaints ?? []);
    return paints.slice(warmUp);
  } finally {
    await page.close();
  }
}
