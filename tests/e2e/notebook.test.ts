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

  it('shows [*] and a busy kernel while running, and interrupts and restarts from the toolbar', async () => {
    const created = await cellmate.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path: 'control.ipynb' }) });
    expect(created.status).toBe(201);
    const page = await browser.newPage();
    await page.goto(`${cellmate.url}/notebooks/control.ipynb?token=${cellmate.token}`);
    await firstCell(page).locator('.cm-content').click();
    await page.keyboard.type('x = 41\nimport time\ntime.sleep(60)');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => firstCell(page).locator('.cell-prompt').innerText(), { timeout: 30_000 }).toContain('*');
    await expect.poll(() => page.locator('[data-kernel-state]').getAttribute('data-kernel-state')).toBe('busy');

    await page.getByRole('button', { name: 'Interrupt' }).click();
    await expect.poll(() => firstCell(page).locator('.cell-outputs').innerText(), { timeout: 10_000 }).toContain('KeyboardInterrupt');
    await expect.poll(() => page.locator('[data-kernel-state]').getAttribute('data-kernel-state')).toBe('idle');

    await page.getByRole('button', { name: 'Restart' }).click();
    // As in JupyterLab, a restart is confirmed first.
    await page.getByRole('dialog', { name: 'Restart kernel?' }).getByRole('button', { name: 'Restart' }).click();
    await expect.poll(() => page.locator('[data-kernel-state]').getAttribute('data-kernel-state'), { timeout: 30_000 }).toBe('idle');
    const res = await cellmate.api(`/api/notebooks/control.ipynb/cells`, { method: 'POST', body: JSON.stringify({ source: 'x' }) });
    const { id } = await res.json();
    const run = await (await cellmate.api('/api/notebooks/control.ipynb/execute', { method: 'POST', body: JSON.stringify({ cell_ids: [id] }) })).json();
    expect(run.cells[0].outputs[0]).toMatchObject({ output_type: 'error', ename: 'NameError' });
    await expect.poll(() => page.locator(`[data-cell-id="${id}"] .cell-outputs`).innerText(), { timeout: 10_000 }).toContain('NameError');
    await page.close();
  });

  it('shows one tab\'s typing and outputs in another tab live', async () => {
    await cellmate.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path: 'two-tabs.ipynb' }) });
    const url = `${cellmate.url}/notebooks/two-tabs.ipynb?token=${cellmate.token}`;
    const [a, b] = await Promise.all([browser.newPage(), browser.newPage()]);
    await Promise.all([a.goto(url), b.goto(url)]);
    await firstCell(a).locator('.cm-content').click();
    await a.keyboard.type('print("hello from a")');
    await expect.poll(() => firstCell(b).locator('.cm-content').innerText(), { timeout: 10_000 }).toContain('hello from a');
    await a.keyboard.press('Control+Enter');
    await expect.poll(() => firstCell(b).locator('.cell-outputs').innerText(), { timeout: 30_000 }).toContain('hello from a');
    await a.close();
    await b.close();
  });
});
