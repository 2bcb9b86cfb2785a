/**
 * Undo of cell operations in the page: command-mode keys ask the server, whose history the notebook's tabs share,
 * so a cell deleted with D,D comes back with Ctrl+Z in this tab and in another one, and Ctrl+Shift+Z deletes it
 * again. In a cell's editor Ctrl+Z stays the editor's own undo of typing.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useCellmateAndBrowser, WAIT } from '../helpers/browser.ts';
import { enc, notebookWithCells } from '../helpers/notebook-socket.ts';

const started = useCellmateAndBrowser();

/** The rendered cells' ids in notebook order (the windowed list keeps them in the DOM in the order they appeared). */
const cellIds = (page: Page) =>
  page
    .locator('article.cell[data-cell-id]')
    .evaluateAll((cells) =>
      cells.map((cell) => ({ id: cell.getAttribute('data-cell-id'), at: Number(cell.getAttribute('aria-posinset')) })).sort((a, b) => a.at - b.at).map((cell) => cell.id),
    );

/** Opens the notebook and waits until it shows `count` cells. */
async function open(path: string, count: number): Promise<Page> {
  const page = await started.browser.newPage();
  await page.goto(`${started.cellmate.url}/notebooks/${enc(path)}?token=${started.cellmate.token}`);
  await expect.poll(() => page.locator('[data-cell-id]').count(), { timeout: 30_000 }).toBe(count);
  return page;
}

/** Selects a cell in command mode: into its editor, then Escape. */
async function selectInCommandMode(page: Page, id: string): Promise<void> {
  await page.locator(`[data-cell-id="${id}"] .cm-content`).click();
  await page.keyboard.press('Escape');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-cell-id') ?? null)).toBe(id);
}

describe('undo in the browser', () => {
  it('brings a cell deleted with D,D back with Ctrl+Z in both tabs, deletes it again with Ctrl+Shift+Z, and with Z/Shift+Z too', async () => {
    const [, second, third] = await notebookWithCells(started.cellmate, 'undo.ipynb', ['first = 1', 'second = 2', 'third = 3']);
    const [one, two] = [await open('undo.ipynb', 4), await open('undo.ipynb', 4)];
    const all = await cellIds(one);
    const errors: string[] = [];
    for (const page of [one, two]) page.on('pageerror', (error) => errors.push(error.message));

    await selectInCommandMode(one, second!);
    await one.keyboard.press('d');
    await one.keyboard.press('d');
    const without = all.filter((id) => id !== second);
    for (const page of [one, two]) await expect.poll(() => cellIds(page), WAIT).toEqual(without);

    // The selection moved to a neighbour, still in command mode: Ctrl+Z asks the server to undo.
    await one.keyboard.press('Control+z');
    for (const page of [one, two]) await expect.poll(() => cellIds(page), WAIT).toEqual(all);
    await expect.poll(() => two.locator(`[data-cell-id="${second}"] .cm-content`).innerText()).toBe('second = 2');

    await one.keyboard.press('Control+Shift+z');
    for (const page of [one, two]) await expect.poll(() => cellIds(page), WAIT).toEqual(without);

    // From the other tab, with the plain keys: Z brings it back, Shift+Z deletes it again.
    await selectInCommandMode(two, third!);
    await two.keyboard.press('z');
    for (const page of [one, two]) await expect.poll(() => cellIds(page), WAIT).toEqual(all);
    await two.keyboard.press('Shift+Z');
    for (const page of [one, two]) await expect.poll(() => cellIds(page), WAIT).toEqual(without);
    expect(errors).toEqual([]);
    await Promise.all([one.close(), two.close()]);
  });

  it('leaves Ctrl+Z in a cell’s editor to the editor: it undoes typing, not the last cell operation', async () => {
    const [kept, gone] = await notebookWithCells(started.cellmate, 'editor-undo.ipynb', ['kept = 1', 'gone = 2']);
    const page = await open('editor-undo.ipynb', 3);
    await selectInCommandMode(page, gone!);
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => page.locator('[data-cell-id]').count(), WAIT).toBe(2);

    const editor = page.locator(`[data-cell-id="${kept}"] .cm-content`);
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.type('0');
    await expect.poll(() => editor.innerText()).toBe('kept = 10');
    await page.keyboard.press('Control+z');
    await expect.poll(() => editor.innerText()).toBe('kept = 1');
    // An operation after it (B: a cell below, over the same socket) shows whether an undo went to the server too:
    // the deleted cell would be back by the time the new one is there.
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    const session = await started.cellmate.sessions.open('editor-undo.ipynb');
    await expect.poll(() => session.doc().cells.length, WAIT).toBeGreaterThanOrEqual(3);
    expect(session.doc().cells.map((c) => c.source)).toEqual(['', 'kept = 1', '']);
    expect(session.doc().cells.map((c) => c.id)).not.toContain(gone);
    await page.close();
  });
});
