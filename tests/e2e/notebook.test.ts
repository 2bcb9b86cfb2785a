/**
 * The walking skeleton, as a person uses it: open with the token, new notebook, type, Shift+Enter, see the
 * output, reload, still there.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';

let cellmate: TestCellmate;
let browser: Browser;

beforeAll(async () => {
  [cellmate, browser] = await Promise.all([startTestCellmate(), launchChromium()]);
  await mkdir('test-results', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await cellmate?.cleanup();
});

const firstCell = (page: Page) => page.locator('[data-cell-id]').first();

describe('notebook in the browser', () => {
  it('runs print(6*7), shows 42, and keeps it across a reload', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(cellmate.openUrl);
    await page.getByRole('button', { name: 'New notebook' }).click();
    await page.waitForURL(/\/notebooks\//);

    const editor = firstCell(page).locator('.cm-content');
    await editor.click();
    await page.keyboard.type('print(6*7)');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => firstCell(page).locator('.cell-outputs').innerText(), { timeout: 30_000 }).toContain('42');
    await expect.poll(() => firstCell(page).locator('.cell-prompt').innerText()).toMatch(/\[1\]/);

    await page.reload();
    await expect.poll(() => firstCell(page).locator('.cell-outputs').innerText(), { timeout: 30_000 }).toContain('42');
    expect(await firstCell(page).locator('.cm-content').innerText()).toContain('print(6*7)');
    await page.screenshot({ path: 'test-results/e2e-notebook.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
