/**
 * The workspace's files in Chromium: upload by button and by drag and drop, download, new folder, rename
 * (refused onto a taken name), delete after confirming; a notebook imported by upload opens, and its HTML
 * export runs nothing when opened; a change on disk reloads the open notebook, or shows a conflict.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeNotebook } from '../../server/store/serializer.ts';
import { hostileNotebook } from '../fixtures/export/hostile.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startTestCellmate, waitFor, type TestCellmate } from '../helpers/cellmate.ts';

let cellmate: TestCellmate;
let browser: Browser;
let beacon: Server;
let beaconUrl: string;
let scratch: string;
/** Paths requested from the beacon server: anything but `/control` means script ran somewhere. */
const hits: string[] = [];

beforeAll(async () => {
  beacon = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('');
  });
  await new Promise<void>((resolve) => beacon.listen(0, '127.0.0.1', resolve));
  beaconUrl = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}`;
  scratch = await mkdtemp(join(tmpdir(), 'cellmate-e2e-files-'));
  // Autosave held back: typed changes stay unsaved long enough to meet a change on disk.
  [cellmate, browser] = await Promise.all([startTestCellmate({}, { autosaveMs: 60_000 }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await cellmate?.cleanup();
  await new Promise((resolve) => beacon?.close(resolve));
  await rm(scratch, { recursive: true, force: true });
});

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

const row = (page: Page, path: string) => page.locator(`[data-file-path="${path}"]`);
const onDisk = (path: string) => readFile(join(cellmate.workspace, path), 'utf8');

describe('file browser', () => {
  it('uploads by button and by drop, downloads, makes a folder, renames and deletes', async () => {
    const { page, errors } = await openPage();
    await page.goto(cellmate.openUrl);
    const browserBox = page.locator('[data-file-browser]');
    await browserBox.waitFor();

    await page.locator('[data-upload-input]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello notes\n') });
    await row(page, 'notes.txt').waitFor();
    expect(await onDisk('notes.txt')).toBe('hello notes\n');

    const dataTransfer = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['month,revenue\n1,10\n'], 'dropped.csv', { type: 'text/csv' }));
      return transfer;
    });
    await browserBox.dispatchEvent('dragover', { dataTransfer });
    await browserBox.dispatchEvent('drop', { dataTransfer });
    await row(page, 'dropped.csv').waitFor();
    expect(await onDisk('dropped.csv')).toBe('month,revenue\n1,10\n');
    await expect.poll(() => page.locator('[data-upload-path="dropped.csv"]').getAttribute('data-upload-status')).toBe('done');

    const [download] = await Promise.all([page.waitForEvent('download'), row(page, 'dropped.csv').getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('dropped.csv');
    expect(await readFile(await download.path(), 'utf8')).toBe('month,revenue\n1,10\n');

    await page.getByRole('button', { name: 'New folder' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('data');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await row(page, 'data').waitFor();

    await row(page, 'notes.txt').getByRole('button', { name: 'Rename' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('dropped.csv');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => dialog.getByRole('alert').innerText()).toMatch(/already exists/);
    expect(await onDisk('dropped.csv')).toBe('month,revenue\n1,10\n');
    await dialog.getByRole('textbox').fill('data/notes.txt');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => row(page, 'notes.txt').count()).toBe(0);
    expect(await onDisk('data/notes.txt')).toBe('hello notes\n');

    await row(page, 'dropped.csv').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row(page, 'dropped.csv').count()).toBe(0);
    await expect(onDisk('dropped.csv')).rejects.toThrow(/ENOENT/);
    await page.screenshot({ path: 'test-results/e2e-files.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('import and export', () => {
  it('opens an uploaded notebook, and its HTML export runs nothing when opened', async () => {
    const { page, errors } = await openPage();
    await page.goto(cellmate.openUrl);
    const notebook = serializeNotebook(hostileNotebook(`${beaconUrl}/pwned`));
    await page.locator('[data-upload-input]').setInputFiles({ name: 'hostile.ipynb', mimeType: 'application/json', buffer: Buffer.from(notebook) });
    await page.waitForURL(/\/notebooks\/hostile\.ipynb$/);
    await page.locator('[data-cell-id]').first().waitFor();

    await page.getByRole('button', { name: 'Export as…' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: /Web page/ }).click()]);
    expect(download.suggestedFilename()).toBe('hostile.html');
    const exported = join(scratch, 'hostile.html');
    await download.saveAs(exported);
    expect(errors).toEqual([]);

    // The detector works: a page with a plain script reaches the beacon.
    const control = join(scratch, 'control.html');
    await writeFile(control, `<!doctype html><script>new Image().src = '${beaconUrl}/control';</script>`);
    await page.goto(`file://${control}`);
    await waitFor('the control hit', () => hits.includes('/control'));

    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`file://${exported}`, { waitUntil: 'load' });
    expect(await page.title()).toBe('hostile.ipynb');
    expect(await page.locator('iframe.output-html').count()).toBe(1);
    const images = await page.locator('img.output-image').evaluateAll((imgs) => imgs.map((img) => (img instanceof HTMLImageElement ? img.naturalWidth : 0)));
    expect(images.length).toBe(2);
    expect(images.every((width) => width > 0)).toBe(true);
    expect(await page.locator('a[href^="javascript:"], script, [onerror], [onload]').count()).toBe(0);
    // Leaving through the control page: its hit arrives after anything the export page could have sent.
    hits.length = 0;
    await page.goto(`file://${control}`);
    await waitFor('the second control hit', () => hits.includes('/control'));
    expect(hits).toEqual(['/control']);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});

describe('the open notebook and its file', () => {
  const cellText = (page: Page) => page.locator('[data-cell-id]').first().locator('.cm-content').innerText();
  const nb = (source: string) =>
    `${JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 'c1', cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null }] }, null, 1)}\n`;

  it('reloads on a change on disk; with unsaved changes shows a conflict, then loads from disk', async () => {
    await writeFile(join(cellmate.workspace, 'ext.ipynb'), nb('first = 1'));
    const { page, errors } = await openPage();
    await page.goto(`${cellmate.url}/notebooks/ext.ipynb?token=${cellmate.token}`);
    await expect.poll(() => cellText(page)).toContain('first = 1');

    await writeFile(join(cellmate.workspace, 'ext.ipynb'), nb('second = 2'));
    await expect.poll(() => cellText(page), { timeout: 10_000 }).toContain('second = 2');

    await page.locator('[data-cell-id] .cm-content').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type('  # mine');
    const session = await cellmate.sessions.get('ext.ipynb');
    await waitFor('the typing to reach the server', () => session?.doc().cells[0]?.source.includes('# mine'));
    const theirs = nb('third = 3');
    await writeFile(join(cellmate.workspace, 'ext.ipynb'), theirs);
    const banner = page.locator('[data-banner="conflict"]');
    await banner.waitFor({ timeout: 10_000 });
    expect(await onDisk('ext.ipynb')).toBe(theirs);
    await banner.getByRole('button', { name: 'Load from disk' }).click();
    await expect.poll(() => cellText(page)).toContain('third = 3');
    await expect.poll(() => banner.count()).toBe(0);
    expect(await onDisk('ext.ipynb')).toBe(theirs);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renames the open notebook, refusing a taken name with a clear message', async () => {
    const { page, errors } = await openPage();
    await page.goto(`${cellmate.url}/notebooks/ext.ipynb?token=${cellmate.token}`);
    await expect.poll(() => cellText(page)).toContain('third = 3');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('hostile.ipynb');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => dialog.getByRole('alert').innerText()).toMatch(/hostile\.ipynb already exists: choose another name/);
    await dialog.getByRole('textbox').fill('renamed');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await page.waitForURL(/\/notebooks\/renamed\.ipynb$/);
    await expect.poll(() => cellText(page)).toContain('third = 3');
    expect([JSON.parse(await onDisk('renamed.ipynb')).cells[0].source].flat().join('')).toBe('third = 3');
    await expect(onDisk('ext.ipynb')).rejects.toThrow(/ENOENT/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
