/**
 * Find and replace across all cells, in Chromium: the bar searches the notebook's document (every cell, markdown
 * too, rendered or not), next/previous move the selected cell and the editor's selection, a match far down a
 * 2,000-cell notebook is reached and shown, and replacing goes to the server, replace all as one undo step.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useCellmateAndBrowser, WAIT } from '../helpers/browser.ts';
import { enc } from '../helpers/notebook-socket.ts';

const started = useCellmateAndBrowser();

type CellSpec = { id: string; type?: 'code' | 'markdown'; source: string };

/** Writes an nbformat 4.5 notebook into the workspace. */
async function writeNotebook(path: string, cells: CellSpec[]): Promise<void> {
  const doc = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map(({ id, type = 'code', source }) =>
      type === 'code' ? { id, cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null } : { id, cell_type: type, metadata: {}, source },
    ),
  };
  await writeFile(join(started.cellmate.workspace, path), JSON.stringify(doc));
}

/** The sources of the server's document, read through the REST API. */
async function serverSources(path: string): Promise<string[]> {
  const response = await started.cellmate.api(`/api/notebooks/${enc(path)}`);
  const body = (await response.json()) as { cells: { source: string | string[] }[] };
  return body.cells.map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
}

async function open(path: string, errors: string[]): Promise<Page> {
  const page = await started.browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${started.cellmate.url}/notebooks/${enc(path)}?token=${started.cellmate.token}`);
  await page.locator('[data-cell-id] .cm-content, [data-cell-id] .markdown-rendered').first().waitFor(WAIT);
  return page;
}

const bar = (page: Page) => page.locator('[data-panel="find"]');
const count = (page: Page) => bar(page).locator('.find-count').innerText();
const cell = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`);
const selectedId = (page: Page) => page.locator('[data-cell-id].is-selected').getAttribute('data-cell-id');
const currentMatch = (page: Page, id: string) => cell(page, id).locator('.cm-find-current').innerText();

describe('find and replace across cells', () => {
  it('counts matches in every cell, moves through them with Enter, Shift+Enter and the buttons, and leaves the match selected in its editor', async () => {
    const path = 'find.ipynb';
    await writeNotebook(path, [
      { id: 'first', source: 'total = 1\nprint(total)' },
      { id: 'notes', type: 'markdown', source: '# The Total\nSum the total.' },
      { id: 'middle', source: 'x = 2' },
      { id: 'last', source: 'total += x' },
    ]);
    const errors: string[] = [];
    const page = await open(path, errors);

    // Ctrl+F in a cell's editor opens the notebook's bar (not a panel of that editor), searching from the cursor.
    await cell(page, 'middle').locator('.cm-content').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Control+f');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), WAIT).toBe('Find');
    expect(await page.locator('.cm-search').count()).toBe(0);
    await page.keyboard.type('total');
    // Two in the first cell, two in the markdown cell (its source, though it is rendered), one in the last.
    await expect.poll(() => count(page), WAIT).toBe('5 of 5');
    expect(await selectedId(page)).toBe('last');
    expect(await currentMatch(page, 'last')).toBe('total');

    await page.keyboard.press('Enter');
    await expect.poll(() => count(page), WAIT).toBe('1 of 5');
    expect(await selectedId(page)).toBe('first');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => count(page), WAIT).toBe('3 of 5');
    // A match in a rendered markdown cell shows its source, as JupyterLab does.
    await expect.poll(() => currentMatch(page, 'notes'), WAIT).toBe('Total');
    expect(await selectedId(page)).toBe('notes');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => count(page), WAIT).toBe('2 of 5');
    // Moving on renders it again.
    await cell(page, 'notes').locator('.markdown-rendered').waitFor(WAIT);
    await bar(page).getByRole('button', { name: 'Next match' }).click();
    await bar(page).getByRole('button', { name: 'Next match' }).click();
    await expect.poll(() => count(page), WAIT).toBe('4 of 5');
    await bar(page).getByRole('button', { name: 'Previous match' }).click();
    await bar(page).getByRole('button', { name: 'Previous match' }).click();
    await bar(page).getByRole('button', { name: 'Previous match' }).click();
    await expect.poll(() => count(page), WAIT).toBe('1 of 5');
    expect(await currentMatch(page, 'first')).toBe('total');

    // Case: the heading's "Total" no longer matches.
    await bar(page).getByRole('button', { name: 'Match case' }).click();
    await expect.poll(() => count(page), WAIT).toBe('1 of 4');

    // Escape puts the focus back into the editor the bar was opened from, on the match: typing replaces it.
    await page.keyboard.press('Escape');
    await expect.poll(() => bar(page).count(), WAIT).toBe(0);
    await page.keyboard.type('grand_total');
    await expect.poll(() => cell(page, 'first').locator('.cm-content').innerText(), WAIT).toBe('grand_total = 1\nprint(total)');
    await expect.poll(async () => (await serverSources(path))[0], WAIT).toBe('grand_total = 1\nprint(total)');

    // A pattern that is not a regular expression is shown, not thrown.
    await page.keyboard.press('Control+f');
    await bar(page).getByRole('button', { name: 'Use regular expression' }).click();
    await bar(page).getByRole('textbox', { name: 'Find' }).fill('total(');
    await expect.poll(() => bar(page).locator('.find-error').innerText(), WAIT).toMatch(/Invalid regular expression/);
    expect(await count(page)).toBe('Invalid pattern');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reaches and shows a match far down a 2,000-cell notebook, and replaces in all of them as one step', async () => {
    const path = 'big.ipynb';
    const cells: CellSpec[] = Array.from({ length: 2000 }, (_, i) => ({ id: `c${i}`, source: `value_${i} = ${i}` }));
    cells[1950] = { id: 'c1950', source: 'far = "needle"' };
    await writeNotebook(path, cells);
    const errors: string[] = [];
    const page = await open(path, errors);
    // The list is windowed: the far cell is not in the page until it is reached.
    expect(await cell(page, 'c1950').count()).toBe(0);
    await cell(page, 'c0').locator('.cell-prompt').click();
    await page.keyboard.press('Control+f');
    await page.keyboard.type('value_');
    // Counted from the document: every cell, whether or not it is rendered.
    await expect.poll(() => count(page), WAIT).toBe('1 of 1,999');

    await bar(page).getByRole('textbox', { name: 'Find' }).fill('needle');
    await expect.poll(() => count(page), WAIT).toBe('1 of 1');
    await expect.poll(() => selectedId(page), WAIT).toBe('c1950');
    await expect.poll(() => currentMatch(page, 'c1950'), WAIT).toBe('needle');
    // Shown: the match is inside the window.
    await expect
      .poll(async () => {
        const box = await cell(page, 'c1950').locator('.cm-find-current').boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 800;
      }, WAIT)
      .toBe(true);

    // Replace all in cells spread over the notebook, most of them not rendered, is one step too: one Ctrl+Z
    // brings back all 110 of them (19, 190–199, 1900–1999 but the needle's).
    const original = cells.map((c) => c.source);
    const replaced = original.map((source) => source.replace(/^value_19/, 'v19'));
    await bar(page).getByRole('button', { name: 'Show replace' }).click();
    await bar(page).getByRole('textbox', { name: 'Find' }).fill('value_19');
    await expect.poll(() => count(page), WAIT).toMatch(/ of 110$/);
    await bar(page).getByRole('textbox', { name: 'Replace' }).fill('v19');
    await bar(page).getByRole('button', { name: 'Replace all' }).click();
    await expect.poll(() => serverSources(path), WAIT).toEqual(replaced);
    await expect.poll(() => count(page), WAIT).toBe('No matches');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+z');
    await expect.poll(() => serverSources(path), WAIT).toEqual(original);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('replaces one match, then all of a regex with groups as one step that one Ctrl+Z undoes', async () => {
    const path = 'replace.ipynb';
    await writeNotebook(path, [
      { id: 'a', source: 'a = foo(1)' },
      { id: 'b', source: 'b = foo(2) + foo(3)' },
      { id: 'doc', type: 'markdown', source: 'Call foo(4) here' },
      { id: 'none', source: 'print("nothing")' },
    ]);
    const original = await serverSources(path);
    const errors: string[] = [];
    const page = await open(path, errors);
    await cell(page, 'a').locator('.cell-prompt').click();
    await page.keyboard.press('Control+h');
    await bar(page).getByRole('textbox', { name: 'Find' }).fill('foo');
    await expect.poll(() => count(page), WAIT).toBe('1 of 4');

    await bar(page).getByRole('textbox', { name: 'Replace' }).fill('bar');
    await bar(page).getByRole('button', { name: 'Replace', exact: true }).click();
    await expect.poll(() => serverSources(path), WAIT).toEqual(['a = bar(1)', ...original.slice(1)]);
    // The next match is the current one now.
    await expect.poll(() => count(page), WAIT).toBe('1 of 3');
    await expect.poll(() => selectedId(page), WAIT).toBe('b');

    await bar(page).getByRole('button', { name: 'Use regular expression' }).click();
    await bar(page).getByRole('textbox', { name: 'Find' }).fill('foo\\((?<n>\\d)\\)');
    await expect.poll(() => count(page), WAIT).toBe('1 of 3');
    await bar(page).getByRole('textbox', { name: 'Replace' }).fill('baz($<n> * 10, $1)');
    await page.screenshot({ path: 'test-results/e2e-find-replace.png' });
    await bar(page).getByRole('button', { name: 'Replace all' }).click();
    const replaced = ['a = bar(1)', 'b = baz(2 * 10, 2) + baz(3 * 10, 3)', 'Call baz(4 * 10, 4) here', 'print("nothing")'];
    await expect.poll(() => serverSources(path), WAIT).toEqual(replaced);
    await expect.poll(() => count(page), WAIT).toBe('No matches');
    await expect.poll(() => cell(page, 'b').locator('.cm-content').innerText(), WAIT).toBe(replaced[1]);

    // Escape returns to command mode, where one Ctrl+Z takes back every cell replace all changed.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-cell-id') ?? null), WAIT).not.toBeNull();
    await page.keyboard.press('Control+z');
    await expect.poll(() => serverSources(path), WAIT).toEqual(['a = bar(1)', ...original.slice(1)]);
    await expect.poll(() => cell(page, 'b').locator('.cm-content').innerText(), WAIT).toBe(original[1]);
    // The replaced single match was its own step.
    await page.keyboard.press('Control+z');
    await expect.poll(() => serverSources(path), WAIT).toEqual(original);
    expect(errors).toEqual([]);
    await page.close();
  });
});
