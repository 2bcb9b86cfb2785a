/**
 * A save that fails, as a person sees it in Chromium: the disk fills up (made to fail at the storage layer) while
 * they type; the page says so at once and keeps saying it in the header, what they typed stays on the page and
 * in the server, and once the disk takes writes again the notebook is saved and the header says "Saved" —
 * without them doing anything.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../server/store/serializer.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';
import { FaultyDisk } from '../helpers/faulty-disk.ts';

const disk = new FaultyDisk();
let cellmate: TestCellmate;
let browser: Browser;

beforeAll(async () => {
  [cellmate, browser] = await Promise.all([startTestCellmate({}, { fileSystem: disk.fs }), launchChromium()]);
});
afterAll(async () => {
  disk.heal();
  await browser?.close();
  await cellmate?.cleanup();
});

const notebook = (source: string) =>
  `${JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 'c1', cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null }] }, null, 1)}\n`;

describe('a save that fails', () => {
  it('is shown while it lasts, keeps what was typed, and clears by itself once the disk works again', async () => {
    const file = join(cellmate.workspace, 'full.ipynb');
    await writeFile(file, notebook('total = 1'));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${cellmate.url}/notebooks/full.ipynb?token=${cellmate.token}`);
    const editor = page.locator('[data-cell-id] .cm-content').first();
    await expect.poll(() => editor.innerText()).toContain('total = 1');

    disk.fail('ENOSPC');
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' + 41');

    const failed = page.locator('[data-save-state="failed"]');
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.innerText()).toBe('Not saved');
    expect(await failed.getAttribute('title')).toMatch(/Not enough disk space to save full\.ipynb \(ENOSPC\).*saving is tried again by itself/);
    expect(await page.getByRole('alert').innerText()).toMatch(/Not enough disk space to save full\.ipynb/);
    expect(await page.locator('[data-save-state="saved"]').count()).toBe(0);
    // What was typed is on the page and in the server; the file keeps the last good version.
    expect(await editor.innerText()).toContain('total = 1 + 41');
    const session = await cellmate.sessions.get('full.ipynb');
    expect(session?.doc().cells[0]?.source).toBe('total = 1 + 41');
    expect(await readFile(file, 'utf8')).toBe(notebook('total = 1'));
    // Still failing a retry later: the header keeps saying so.
    const attempts = disk.failedWrites;
    await waitFor('a retry', () => disk.failedWrites > attempts);
    expect(await failed.count()).toBe(1);

    disk.heal();
    await page.locator('[data-save-state="saved"]').waitFor({ timeout: 30_000 });
    expect(await failed.count()).toBe(0);
    expect(parseNotebook(await readFile(file, 'utf8')).doc.cells[0]?.source).toBe('total = 1 + 41');
    expect(errors).toEqual([]);
    await page.close();
  });
});
