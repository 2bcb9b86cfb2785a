/**
 * JupyterLab's cell keys in command mode, in Chromium against a real server and kernel: C / X / V copy, cut and
 * paste cells, also into another notebook (another tab of the same browser); Shift+M merges and Ctrl+Shift+-
 * splits, each undone whole by one Ctrl+Z; Shift+↓ and Shift+click select several cells, which D,D deletes (and
 * one Z brings back) and Ctrl+Enter runs; H shows the shortcut sheet. The server's document, read through the
 * REST API, shows what each key did.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCellmateAndBrowser, WAIT } from '../helpers/browser.ts';
import { enc } from '../helpers/notebook-socket.ts';

const started = useCellmateAndBrowser();
/** One browser context, so every page shares one localStorage as a person's tabs do. */
let context: BrowserContext;
const errors: string[] = [];

beforeAll(async () => {
  context = await started.browser.newContext({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await context?.close();
});

type CellSpec = { id: string; source: string; output?: string };

/** Writes an nbformat 4.5 notebook of code cells into the workspace (`output`: a stream output it already has). */
async function writeNotebook(path: string, cells: CellSpec[]): Promise<void> {
  const doc = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map(({ id, source, output }) => ({
      id,
      cell_type: 'code',
      metadata: {},
      source,
      outputs: output === undefined ? [] : [{ output_type: 'stream', name: 'stdout', text: output }],
      execution_count: output === undefined ? null : 1,
    })),
  };
  await writeFile(join(started.cellmate.workspace, path), JSON.stringify(doc));
}

interface ServerCell {
  id: string;
  source: string;
  outputs: { text?: string | string[] }[];
}

/** The server's cells, read through the REST API. */
async function serverCells(path: string): Promise<ServerCell[]> {
  const response = await started.cellmate.api(`/api/notebooks/${enc(path)}`);
  const body = (await response.json()) as { cells: { id: string; source: string | string[]; outputs?: ServerCell['outputs'] }[] };
  return body.cells.map((cell) => ({ id: cell.id, source: Array.isArray(cell.source) ? cell.source.join('') : cell.source, outputs: cell.outputs ?? [] }));
}
const sources = async (path: string) => (await serverCells(path)).map((cell) => cell.source);
const ids = async (path: string) => (await serverCells(path)).map((cell) => cell.id);

async function open(path: string, count: number): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${started.cellmate.url}/notebooks/${enc(path)}?token=${started.cellmate.token}`);
  await expect.poll(() => page.locator('article.cell').count(), WAIT).toBe(count);
  return page;
}

const cell = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`);

/** Selects a cell in command mode by a click beside its editor, and waits for the focus to be on it. */
async function select(page: Page, id: string, modifiers: 'Shift'[] = []): Promise<void> {
  await cell(page, id).locator('.cell-prompt').click({ modifiers });
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-cell-id') ?? null), WAIT).toBe(id);
}

/** The multi-selected cells' ids in notebook order (the DOM keeps rendered cells in the order they appeared). */
const multiSelected = (page: Page) =>
  page
    .locator('article.cell.is-multi-selected')
    .evaluateAll((cells) =>
      cells.map((c) => ({ id: c.getAttribute('data-cell-id'), at: Number(c.getAttribute('aria-posinset')) })).sort((a, b) => a.at - b.at).map((c) => c.id),
    );

describe('cell keys in command mode', () => {
  it('copies with C and pastes with V below and Shift+V above, also into another notebook; X cuts', async () => {
    await writeNotebook('copy-a.ipynb', [
      { id: 'a1', source: 'alpha = 1', output: 'alpha out\n' },
      { id: 'a2', source: 'beta = 2' },
      { id: 'a3', source: 'gamma = 3' },
    ]);
    await writeNotebook('copy-b.ipynb', [{ id: 'b1', source: 'b = 0' }]);
    const a = await open('copy-a.ipynb', 3);
    await select(a, 'a1');
    await a.keyboard.press('c');
    await select(a, 'a3');
    await a.keyboard.press('v');
    await expect.poll(() => sources('copy-a.ipynb'), WAIT).toEqual(['alpha = 1', 'beta = 2', 'gamma = 3', 'alpha = 1']);
    const pasted = (await serverCells('copy-a.ipynb'))[3]!;
    // A new cell with its own id, outputs kept as JupyterLab keeps them.
    expect(pasted.id).not.toBe('a1');
    expect(pasted.outputs.map((output) => [output.text ?? []].flat().join(''))).toEqual(['alpha out\n']);
    await expect.poll(() => cell(a, pasted.id).locator('.output').innerText(), WAIT).toContain('alpha out');

    // Another notebook in another tab pastes what this one copied, above its cell.
    const b = await open('copy-b.ipynb', 1);
    await select(b, 'b1');
    await b.keyboard.press('Shift+V');
    await expect.poll(() => sources('copy-b.ipynb'), WAIT).toEqual(['alpha = 1', 'b = 0']);

    // X: gone from the first notebook, and pasted into the second below its selected cell.
    await a.bringToFront();
    await select(a, 'a2');
    await a.keyboard.press('x');
    await expect.poll(() => sources('copy-a.ipynb'), WAIT).toEqual(['alpha = 1', 'gamma = 3', 'alpha = 1']);
    await b.bringToFront();
    await select(b, 'b1');
    await b.keyboard.press('v');
    await expect.poll(() => sources('copy-b.ipynb'), WAIT).toEqual(['alpha = 1', 'b = 0', 'beta = 2']);
    expect(new Set(await ids('copy-b.ipynb')).size).toBe(3);
    await Promise.all([a.close(), b.close()]);
  });

  it('merges with Shift+M, and one Ctrl+Z brings both cells back', async () => {
    await writeNotebook('merge.ipynb', [
      { id: 'm1', source: 'x = 1' },
      { id: 'm2', source: 'y = 2' },
      { id: 'm3', source: 'z = 3' },
    ]);
    const page = await open('merge.ipynb', 3);
    await select(page, 'm1');
    await page.keyboard.press('Shift+M');
    await expect.poll(() => sources('merge.ipynb'), WAIT).toEqual(['x = 1\n\ny = 2', 'z = 3']);
    await expect.poll(() => page.locator('article.cell').count(), WAIT).toBe(2);
    await expect.poll(() => cell(page, 'm1').locator('.cm-line').evaluateAll((lines) => lines.map((line) => line.textContent)), WAIT).toEqual(['x = 1', '', 'y = 2']);
    await page.keyboard.press('Control+z');
    await expect.poll(() => serverCells('merge.ipynb'), WAIT).toMatchObject([
      { id: 'm1', source: 'x = 1' },
      { id: 'm2', source: 'y = 2' },
      { id: 'm3', source: 'z = 3' },
    ]);
    await expect.poll(() => cell(page, 'm1').locator('.cm-content').innerText(), WAIT).toBe('x = 1');
    await page.close();
  });

  it('splits at the cursor with Ctrl+Shift+-, and Ctrl+Z in command mode makes it one cell again', async () => {
    await writeNotebook('split.ipynb', [{ id: 's1', source: 'first = 1\nsecond = 2' }]);
    const page = await open('split.ipynb', 1);
    const editor = cell(page, 's1').locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.press('Control+Shift+Minus');
    await expect.poll(() => sources('split.ipynb'), WAIT).toEqual(['first = 1', 'second = 2']);
    // Editing goes on in the new cell below.
    await expect.poll(() => page.locator('article.cell.is-editing .cm-content').innerText(), WAIT).toBe('second = 2');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+z');
    await expect.poll(() => serverCells('split.ipynb'), WAIT).toMatchObject([{ id: 's1', source: 'first = 1\nsecond = 2' }]);
    await expect.poll(() => page.locator('article.cell').count(), WAIT).toBe(1);
    await page.close();
  });

  it('extends the selection with Shift+↓, moves the three cells together, deletes them with D,D, and one Z brings them all back', async () => {
    const cells = ['d1', 'd2', 'd3', 'd4', 'd5'].map((id) => ({ id, source: `${id} = 0` }));
    await writeNotebook('multi.ipynb', cells);
    const page = await open('multi.ipynb', 5);
    await select(page, 'd2');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => multiSelected(page), WAIT).toEqual(['d2', 'd3', 'd4']);
    // Ctrl+Shift+↑ moves the block past the cell above it, and it stays selected.
    await page.keyboard.press('Control+Shift+ArrowUp');
    await expect.poll(() => ids('multi.ipynb'), WAIT).toEqual(['d2', 'd3', 'd4', 'd1', 'd5']);
    await expect.poll(() => multiSelected(page), WAIT).toEqual(['d2', 'd3', 'd4']);
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => ids('multi.ipynb'), WAIT).toEqual(['d1', 'd5']);
    await expect.poll(() => page.locator('article.cell').count(), WAIT).toBe(2);
    await page.keyboard.press('z');
    await expect.poll(() => ids('multi.ipynb'), WAIT).toEqual(['d2', 'd3', 'd4', 'd1', 'd5']);
    await expect.poll(() => page.locator('article.cell').count(), WAIT).toBe(5);
    // The move was one step too.
    await page.keyboard.press('z');
    await expect.poll(() => serverCells('multi.ipynb'), WAIT).toMatchObject(cells);
    await page.close();
  });

  it('selects a range with Shift+click, which Ctrl+Enter runs whole; a plain click selects one cell again', async () => {
    const cells = ['one', 'two', 'three', 'four'].map((word) => ({ id: `r-${word}`, source: `print("${word}")` }));
    await writeNotebook('run.ipynb', cells);
    const page = await open('run.ipynb', 4);
    await select(page, 'r-one');
    await select(page, 'r-three', ['Shift']);
    await expect.poll(() => multiSelected(page), WAIT).toEqual(['r-one', 'r-two', 'r-three']);
    await page.keyboard.press('Control+Enter');
    // The first run starts a kernel: a minute is a hang guard, not a bound on its speed.
    for (const word of ['one', 'two', 'three']) {
      await expect.poll(() => cell(page, `r-${word}`).locator('.output').allInnerTexts(), { timeout: 60_000 }).toEqual([`${word}\n`]);
    }
    expect((await serverCells('run.ipynb')).map((c) => c.outputs.length)).toEqual([1, 1, 1, 0]);
    await expect(cell(page, 'r-four').locator('.output').count()).resolves.toBe(0);
    await select(page, 'r-two');
    await expect.poll(() => multiSelected(page), WAIT).toEqual([]);
    await page.close();
  });

  it('shows the shortcut sheet on H and from the header, and Escape closes it', async () => {
    await writeNotebook('sheet.ipynb', [{ id: 'h1', source: '' }]);
    const page = await open('sheet.ipynb', 1);
    await select(page, 'h1');
    await page.keyboard.press('h');
    const sheet = page.locator('[role="dialog"][data-dialog="shortcuts"]');
    await sheet.waitFor(WAIT);
    await expect(sheet.innerText()).resolves.toContain('Merge the selected cells');
    await expect(sheet.innerText()).resolves.toContain('Split the cell at the cursor');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached', ...WAIT });
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await sheet.waitFor(WAIT);
    // Keys typed while it is open are not notebook commands (D,D would delete the cell behind it).
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached', ...WAIT });
    expect(await ids('sheet.ipynb')).toEqual(['h1']);
    await page.close();
    expect(errors).toEqual([]);
  });
});
