/**
 * A 2,000-cell notebook in Chromium: the page renders only the cells near the viewport, and everything windowing
 * tends to break still works — scrolling to the end without blank areas, keyboard moves through the whole
 * notebook (the selected cell is rendered, in view and focused), outputs and cells that arrive far off-screen,
 * typing into a cell far down (and it stays mounted while edited), a reload in the middle, and Run all.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useCellmateAndBrowser, WAIT } from '../helpers/browser.ts';
import { enc, executeCells } from '../helpers/notebook-socket.ts';
import { writePrintedCellsNotebook } from '../fixtures/printed-cells.ts';

const CELLS = 2000;
const started = useCellmateAndBrowser({}, { localModelServers: [] });

async function openBig(path: string, options: { ran?: boolean } = {}): Promise<{ page: Page; ids: string[]; errors: string[] }> {
  const doc = await writePrintedCellsNotebook(started.cellmate.workspace, path, CELLS, options);
  const page = await started.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${started.cellmate.url}/notebooks/${enc(path)}?token=${started.cellmate.token}`);
  // A hang guard for a loaded machine (it opens in a few seconds; `npx tsx bench/page-open.ts` measures it).
  await page.locator(`article.cell[data-cell-id="${doc.cells[0]!.id}"] .cm-content`).waitFor({ timeout: 60_000 });
  return { page, ids: doc.cells.map((cell) => cell.id), errors };
}

const cell = (page: Page, id: string) => page.locator(`article.cell[data-cell-id="${id}"]`);
const renderedCount = (page: Page) => page.locator('article.cell').count();

/** Whether some of the cell is on screen, below the sticky header. */
function isInView(page: Page, id: string): Promise<boolean> {
  return page.evaluate((cellId) => {
    const element = document.querySelector(`article.cell[data-cell-id="${cellId}"]`);
    if (!element) return false;
    const box = element.getBoundingClientRect();
    const headerBottom = document.querySelector('.notebook-header')?.getBoundingClientRect().bottom ?? 0;
    return box.bottom > headerBottom && box.top < window.innerHeight;
  }, id);
}

/**
 * The parts of the viewport, below the header and down to the list's end, that no rendered cell covers (the gap
 * between two cells is not blank): `[]` when the cells on screen are all rendered.
 */
function blankAreas(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const GAP = 14;
    const list = document.querySelector('section.cells')!.getBoundingClientRect();
    const top = Math.max(document.querySelector('.notebook-header')?.getBoundingClientRect().bottom ?? 0, list.top);
    const bottom = Math.min(window.innerHeight, list.bottom);
    const boxes = [...document.querySelectorAll('.cell-slot')].map((slot) => slot.getBoundingClientRect()).sort((a, b) => a.top - b.top);
    const blanks: string[] = [];
    let covered = top;
    for (const box of boxes) {
      if (box.bottom <= covered) continue;
      if (box.top > covered + GAP + 1 && covered < bottom) blanks.push(`${Math.round(covered)}–${Math.round(Math.min(box.top, bottom))}`);
      covered = Math.max(covered, box.bottom);
    }
    if (covered + GAP + 1 < bottom) blanks.push(`${Math.round(covered)}–${Math.round(bottom)}`);
    return blanks;
  });
}

/** Waits until the page has painted twice more: the list has reacted to a scroll (or a key). */
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/**
 * Scrolls as a person dragging the scrollbar would, toward the cell at `index` (0-based), until it is on screen:
 * each step jumps by the distance the rendered cells' average height suggests.
 */
async function scrollToCellIndex(page: Page, ids: string[], index: number): Promise<void> {
  for (let step = 0; step < 40; step++) {
    if (await isInView(page, ids[index]!)) return;
    await page.evaluate((target) => {
      const slots = [...document.querySelectorAll<HTMLElement>('article.cell')]
        .map((article) => ({ index: Number(/\d+$/.exec(article.getAttribute('aria-label') ?? '')?.[0]) - 1, box: article.getBoundingClientRect() }))
        .filter((slot) => slot.box.bottom > 0 && slot.box.top < window.innerHeight);
      const middle = slots[Math.floor(slots.length / 2)];
      if (!middle) return window.scrollBy(0, 400);
      const height = slots.reduce((sum, slot) => sum + slot.box.height + 14, 0) / slots.length;
      window.scrollBy(0, (target - middle.index) * height);
    }, index);
    await settle(page);
  }
  throw new Error(`cell ${index + 1} never came into view`);
}

describe('a 2,000-cell notebook', () => {
  it('opens with the first cell and far fewer than 2,000 cells in the DOM, and scrolls to the end without blank areas', async () => {
    const { page, ids, errors } = await openBig('scroll.ipynb');
    expect(await page.locator('section.cells').getAttribute('data-cell-count')).toBe(String(CELLS));
    // A count of cells in the DOM (windowed: one screen's worth and the selected one), not a time.
    expect(await renderedCount(page)).toBeLessThan(60);
    expect(await blankAreas(page)).toEqual([]);

    // Halfway down as the scrollbar would put it, then the End key: the cells on screen are rendered once it settles.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    await expect.poll(() => blankAreas(page), WAIT).toEqual([]);
    await page.keyboard.press('End');
    await expect.poll(() => isInView(page, ids[CELLS - 1]!), WAIT).toBe(true);
    await expect.poll(() => blankAreas(page), WAIT).toEqual([]);
    expect(await cell(page, ids[CELLS - 1]!).locator('.cell-outputs').innerText()).toContain(String(CELLS));
    expect(await renderedCount(page)).toBeLessThan(60);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps the selected cell rendered, in view and focused through keyboard moves, Shift+Enter, and typing into cell 1,900', async () => {
    const { page, ids, errors } = await openBig('keys.ipynb');
    const selectedIs = async (index: number) => {
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-cell-id') ?? null), WAIT).toBe(ids[index]);
      await expect.poll(() => isInView(page, ids[index]!), WAIT).toBe(true);
    };
    await selectedIs(0);
    // Well past the first screen, alternating the arrow and J.
    for (let index = 1; index <= 30; index++) {
      await page.keyboard.press(index % 2 === 0 ? 'j' : 'ArrowDown');
      await selectedIs(index);
    }
    for (let index = 29; index >= 25; index--) {
      await page.keyboard.press(index % 2 === 0 ? 'k' : 'ArrowUp');
      await selectedIs(index);
    }
    await page.keyboard.press('Shift+Enter');
    await selectedIs(26);

    // From the last cell (End, then a click) up to cell 1,900, into its editor, and typing.
    await page.keyboard.press('End');
    await expect.poll(() => isInView(page, ids[CELLS - 1]!), WAIT).toBe(true);
    await cell(page, ids[CELLS - 1]!).locator('.cell-prompt').click();
    await selectedIs(CELLS - 1);
    for (let index = CELLS - 2; index >= 1899; index--) await page.keyboard.press('k');
    await selectedIs(1899);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type(' # far down');
    const session = await started.cellmate.sessions.open('keys.ipynb');
    await expect.poll(() => session.doc().cells[1899]?.source, WAIT).toBe('print(1900) # far down');

    // Scrolled away while editing: the cell stays mounted, its editor keeps the focus and the typing.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => isInView(page, ids[0]!), WAIT).toBe(true);
    await settle(page);
    await page.keyboard.type('!');
    await expect.poll(() => session.doc().cells[1899]?.source, WAIT).toBe('print(1900) # far down!');
    expect(await cell(page, ids[1899]!).getAttribute('class')).toContain('is-editing');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a far cell’s output run through the REST API, and a cell inserted far below, once scrolled to', async () => {
    const { page, ids, errors } = await openBig('far.ipynb');
    const path = enc('far.ipynb');
    const far = ids[1500]!;
    await started.cellmate.api(`/api/notebooks/${path}/cells/${far}`, { method: 'PATCH', body: JSON.stringify({ source: 'print("far away")' }) });
    const [ran] = await executeCells(started.cellmate, 'far.ipynb', [far]);
    expect(ran?.outputs[0]?.text).toBe('far away\n');
    const inserted = await started.cellmate.api(`/api/notebooks/${path}/cells`, { method: 'POST', body: JSON.stringify({ source: 'inserted_far_below = 1', index: 1800 }) });
    const { id: insertedId } = (await inserted.json()) as { id: string };
    await expect.poll(() => page.locator('section.cells').getAttribute('data-cell-count'), WAIT).toBe(String(CELLS + 1));
    expect(await cell(page, far).count()).toBe(0);

    await scrollToCellIndex(page, ids, 1500);
    await expect.poll(async () => (await cell(page, far).locator('.cell-outputs').innerText()).trim(), WAIT).toBe('far away');
    await expect.poll(() => cell(page, far).locator('.cm-content').innerText(), WAIT).toBe('print("far away")');

    const withInserted = [...ids.slice(0, 1800), insertedId, ...ids.slice(1800)];
    await scrollToCellIndex(page, withInserted, 1800);
    await expect.poll(() => cell(page, insertedId).locator('.cm-content').innerText(), WAIT).toBe('inserted_far_below = 1');
    expect(await cell(page, insertedId).getAttribute('aria-label')).toBe('Code cell 1801');
    expect(await blankAreas(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('comes back to the same cell after a reload in the middle', async () => {
    const { page, ids, errors } = await openBig('reload.ipynb');
    await scrollToCellIndex(page, ids, 1000);
    await expect.poll(() => blankAreas(page), WAIT).toEqual([]);
    const topCell = () =>
      page.evaluate(() => {
        const headerBottom = document.querySelector('.notebook-header')?.getBoundingClientRect().bottom ?? 0;
        const articles = [...document.querySelectorAll('article.cell')].filter((article) => article.getBoundingClientRect().bottom > headerBottom + 1);
        articles.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
        return articles[0]?.getAttribute('data-cell-id') ?? null;
      });
    const before = await topCell();
    expect(ids.indexOf(before!)).toBeGreaterThan(900);

    await page.reload();
    await expect.poll(() => page.locator('section.cells').getAttribute('data-cell-count'), WAIT).toBe(String(CELLS));
    await expect.poll(() => isInView(page, before!), WAIT).toBe(true);
    await expect.poll(() => topCell(), WAIT).toBe(before);
    expect(await blankAreas(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps answering while Run all runs 2,000 cells, and Interrupt stops what is left of it', async () => {
    const { page, ids, errors } = await openBig('run-all.ipynb', { ran: false });
    await page.getByRole('button', { name: 'Run all', exact: true }).click();
    // While the cells run (outputs and statuses stream in for cells far off-screen), keys still move the selection.
    await expect.poll(() => page.locator('[data-kernel-state]').getAttribute('data-kernel-state'), WAIT).toBe('busy');
    await cell(page, ids[0]!).locator('.cell-prompt').click();
    for (let index = 1; index <= 3; index++) {
      await page.keyboard.press('j');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-cell-id') ?? null), WAIT).toBe(ids[index]);
    }
    const session = await started.cellmate.sessions.open('run-all.ipynb');
    const ran = () => session.doc().cells.filter((c) => c.cell_type === 'code' && c.outputs.length > 0).length;
    await expect.poll(ran, { timeout: 60_000 }).toBeGreaterThanOrEqual(200);
    // Interrupt lands between two quick cells as often as in one: either way the rest of the run is dropped.
    await page.getByRole('button', { name: 'Interrupt', exact: true }).click();
    await cell(page, ids[3]!).locator('.cell-prompt').click();
    await page.keyboard.press('End');
    const last = cell(page, ids[CELLS - 1]!);
    await expect.poll(() => last.getAttribute('data-run-status'), WAIT).toBe('aborted');
    expect(await last.locator('.not-run-badge').textContent()).toBe('Not run');
    await expect.poll(() => page.locator('[data-kernel-state]').getAttribute('data-kernel-state'), WAIT).toBe('idle');
    expect(ran()).toBeLessThan(CELLS);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
