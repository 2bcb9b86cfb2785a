/**
 * Names with bidirectional controls are shown with those characters written out. `invoice\u202Efdp.ipynb`
 * would read as "invoicebnypi.pdf"; the page shows `invoice<U+202E>fdp.ipynb` in the notebook list, the file
 * browser and its breadcrumbs, the notebook's header, the rename dialog and the assistant panel, and nowhere in
 * the page's text or tooltips is such a character left to act.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ConversationEntry } from '../../server/protocol/agent.ts';
import { useCellmateAndBrowser, WAIT } from '../helpers/browser.ts';

const started = useCellmateAndBrowser({}, { localModelServers: [] });

const NOTEBOOK = 'invoice\u202Efdp.ipynb';
const SHOWN = 'invoice<U+202E>fdp.ipynb';
const FOLDER = 're\u2067ports';
const FILE = 'totals\u200F.csv';
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

/** The page's visible text and every tooltip, where a bidirectional control would act. */
async function shownText(page: Page): Promise<string> {
  return page.evaluate(() => [document.body.innerText, ...[...document.querySelectorAll('[title]')].map((element) => element.getAttribute('title'))].join('\n'));
}

const conversation: ConversationEntry[] = [
  { kind: 'user', turn: 't1', text: 'Read the other notebook' },
  { kind: 'tool', turn: 't1', name: 'run_cell', args: 'id="x"', ok: false, summary: `Could not open ${NOTEBOOK}: no such cell` },
  { kind: 'turn_end', turn: 't1', usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }, cells_changed: [] },
];

describe('names with bidirectional controls', () => {
  it('are shown written out in the lists, breadcrumbs, header, dialogs and assistant panel', async () => {
    const put = await started.cellmate.api(`/api/notebooks/${encodeURIComponent(NOTEBOOK)}`, {
      method: 'PUT',
      body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { cellmate: { conversation } }, cells: [] }),
    });
    expect(put.status).toBe(201);
    const upload = await started.cellmate.api(`/api/files/${encodeURIComponent(FOLDER)}/${encodeURIComponent(FILE)}`, { method: 'PUT', body: 'a,b\n1,2\n', headers: { 'content-type': 'text/csv' } });
    expect(upload.status).toBe(201);

    const page = await started.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${started.cellmate.url}/?token=${started.cellmate.token}`);
    // The start page: the notebook list and the file browser.
    const row = page.locator(`[data-notebook-path="${NOTEBOOK}"] .notebook-name`);
    await expect.poll(() => row.innerText(), WAIT).toBe(SHOWN);
    expect(await page.locator(`[data-file-path="${NOTEBOOK}"] .file-name`).innerText()).toBe(SHOWN);
    const folder = page.locator(`[data-file-path="${FOLDER}"]`);
    expect(await folder.locator('.file-name').innerText()).toBe('re<U+2067>ports');
    expect(await page.locator(`[data-file-path="${NOTEBOOK}"] [aria-label="Delete"]`).getAttribute('title')).toBe(`Delete ${SHOWN}`);
    // Into the folder: the breadcrumb and the file in it.
    await folder.locator('.file-link').click();
    await expect.poll(() => page.locator('.breadcrumbs').innerText(), WAIT).toContain('re<U+2067>ports');
    expect(await page.locator(`[data-file-path="${FOLDER}/${FILE}"] .file-name`).innerText()).toBe('totals<U+200F>.csv');
    // A dialog naming the file.
    await page.locator(`[data-file-path="${FOLDER}/${FILE}"] [aria-label="Delete"]`).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.locator('h2').innerText(), WAIT).toBe('Delete totals<U+200F>.csv?');
    expect(await dialog.innerText()).toContain(`re<U+2067>ports/totals<U+200F>.csv will be deleted.`);
    expect(await shownText(page)).not.toMatch(BIDI);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The notebook: its header (and its tooltip), the rename dialog, the assistant's failed step.
    await page.goto(`${started.cellmate.url}/notebooks/${encodeURIComponent(NOTEBOOK)}`);
    const header = page.locator('h1.notebook-path');
    await expect.poll(() => header.innerText(), WAIT).toBe(SHOWN);
    expect(await header.getAttribute('title')).toBe(SHOWN);
    expect(await page.title()).toBe('Cellmate');
    const open = page.getByRole('button', { name: 'Open assistant' });
    await expect.poll(async () => (await open.isVisible()) || (await page.locator('[data-panel="agent"]').isVisible()), WAIT).toBe(true);
    if (await open.isVisible()) await open.click();
    const step = page.locator('[data-panel="agent"] .agent-step[data-status="error"]');
    await expect.poll(() => step.locator('.agent-step-summary').innerText(), WAIT).toBe(`Could not open ${SHOWN}: no such cell`);
    await page.getByRole('toolbar', { name: 'Notebook actions' }).getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => page.locator('[data-hidden-characters]').innerText(), WAIT).toBe(`With its hidden characters: ${SHOWN}`);
    expect(await shownText(page)).not.toMatch(BIDI);

    // The server's own messages quote the name written out too.
    const refused = await started.cellmate.api(`/api/notebooks/${encodeURIComponent(`missing/${NOTEBOOK}`)}`);
    expect(refused.status).toBe(404);
    const { error } = (await refused.json()) as { error: string };
    expect(error).toContain(SHOWN);
    expect(error).not.toMatch(BIDI);

    // Control: the raw name in the page's text is caught by the same check.
    await page.evaluate((name) => document.body.append(name), NOTEBOOK);
    expect(await shownText(page)).toMatch(BIDI);
    await page.close();
  });
});
