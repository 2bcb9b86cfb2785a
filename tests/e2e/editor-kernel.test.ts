/**
 * The editor and the kernel, as a JupyterLab user expects them: Tab completes from the kernel (after an astral
 * character on the same line, so positions must be converted between UTF-16 and code points), Tab still indents
 * in leading whitespace, Shift+Tab shows the docstring; a running cell's time ticks, then the cell says how long
 * it took and when, and still does after a reload (it is kept in `metadata.execution`).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useCellmateAndBrowser, WAIT } from '../helpers/browser.ts';
import { enc, notebookWithCells } from '../helpers/notebook-socket.ts';

const started = useCellmateAndBrowser();

async function open(path: string): Promise<Page> {
  const page = await started.browser.newPage();
  await page.goto(`${started.cellmate.url}/notebooks/${enc(path)}?token=${started.cellmate.token}`);
  // A tab warms the kernel up; completions come only from a running one.
  await expect.poll(() => page.locator('[data-kernel-state]').getAttribute('data-kernel-state'), { timeout: 60_000 }).toBe('idle');
  return page;
}

function editorText(page: Page, id: string): Promise<string> {
  return page.locator(`[data-cell-id="${id}"] .cm-content`).evaluate((content) =>
    Array.from(content.querySelectorAll(':scope > .cm-line'), (line) => line.textContent ?? '').join('\n'),
  );
}

/** Whether the element is painted inside the window (CodeMirror parks a tooltip it thinks hidden at top -10000px). */
async function isOnScreen(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const height = page.viewportSize()?.height ?? 0;
  return box !== null && box.height > 0 && box.y >= 0 && box.y + box.height <= height;
}

/** The chosen option's name (an option also shows the kernel's type of it: "module"). */
const selectedOption = (page: Page) => page.locator('.cm-tooltip-autocomplete [role="option"][aria-selected="true"] .cm-completionLabel').innerText();

describe('the editor asks the kernel', () => {
  it('completes `import o` to os with Tab after an emoji, and Tab in leading whitespace still indents', async () => {
    const [cell, below] = await notebookWithCells(started.cellmate, 'complete.ipynb', ['', 'below = 1']);
    const page = await open('complete.ipynb');
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.locator(`[data-cell-id="${cell}"] .cm-content`).click();
    await page.keyboard.type('s = "😀"; import o');
    await expect.poll(() => editorText(page, cell!), WAIT).toBe('s = "😀"; import o');

    await page.keyboard.press('Tab');
    const options = page.locator('.cm-tooltip-autocomplete [role="option"] .cm-completionLabel');
    await expect.poll(() => options.allInnerTexts(), WAIT).toContain('os');
    await expect.poll(() => isOnScreen(page, '.cm-tooltip-autocomplete'), WAIT).toBe(true);
    await page.screenshot({ path: 'test-results/e2e-completion.png' });
    // The arrows move in the list (not into the cell below) until "os" is chosen; Enter takes it.
    for (let i = 0; i < 40 && (await selectedOption(page)) !== 'os'; i++) await page.keyboard.press('ArrowDown');
    expect(await selectedOption(page)).toBe('os');
    await page.keyboard.press('Enter');
    await expect.poll(() => editorText(page, cell!), WAIT).toBe('s = "😀"; import os');
    await expect.poll(() => page.locator('.cm-tooltip-autocomplete').count()).toBe(0);
    expect(await page.locator(`[data-cell-id="${cell}"]`).getAttribute('class')).toContain('is-editing');

    // On a new line, with nothing but whitespace before the cursor, Tab indents as before.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect.poll(() => editorText(page, cell!), WAIT).toBe('s = "😀"; import os\n    ');
    expect(await page.locator('.cm-tooltip-autocomplete').count()).toBe(0);
    await expect.poll(() => started.cellmate.sessions.open('complete.ipynb').then((s) => s.doc().cells.find((c) => c.id === cell)?.source)).toBe(
      's = "😀"; import os\n    ',
    );
    expect(await editorText(page, below!)).toBe('below = 1');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the docstring of len with Shift+Tab after `len(`, and Escape closes it before leaving the cell', async () => {
    const [cell] = await notebookWithCells(started.cellmate, 'inspect.ipynb', ['']);
    const page = await open('inspect.ipynb');
    await page.locator(`[data-cell-id="${cell}"] .cm-content`).click();
    await page.keyboard.type('len(');
    // The bracket closes itself; the cursor stays inside it.
    await expect.poll(() => editorText(page, cell!), WAIT).toBe('len()');
    await page.keyboard.press('Shift+Tab');
    const tooltip = page.locator(`[data-cell-id="${cell}"] .inspect-tooltip`);
    await expect.poll(() => tooltip.innerText(), WAIT).toMatch(/Return the number of items in a container/);
    await expect.poll(() => isOnScreen(page, '.inspect-tooltip'), WAIT).toBe(true);
    await page.screenshot({ path: 'test-results/e2e-docstring.png' });

    await page.keyboard.press('Escape');
    await expect.poll(() => tooltip.count()).toBe(0);
    expect(await page.locator(`[data-cell-id="${cell}"]`).getAttribute('class')).toContain('is-editing');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(`[data-cell-id="${cell}"]`).getAttribute('class')).not.toContain('is-editing');
    await page.close();
  });
});

describe('run time', () => {
  it('ticks while a cell runs, then says how long it took and when, also after a reload', async () => {
    // The cell runs until the test lets it go: no guess at how long a loaded machine needs to show it running.
    const [cell] = await notebookWithCells(started.cellmate, 'timing.ipynb', [
      'import os, time\nwhile not os.path.exists("go"):\n    time.sleep(0.05)\nprint("went")',
    ]);
    const page = await open('timing.ipynb');
    const timing = page.locator(`[data-cell-id="${cell}"] .cell-timing`);
    await page.locator(`[data-cell-id="${cell}"] .cm-content`).click();
    await page.keyboard.press('Control+Enter');

    await expect.poll(() => timing.getAttribute('data-timing'), WAIT).toBe('running');
    const first = await timing.locator('.cell-timing-took').innerText();
    expect(first).toMatch(/^\d+\.\d s$/);
    // It moves on by itself while the cell runs.
    await expect.poll(() => timing.locator('.cell-timing-took').innerText(), WAIT).not.toBe(first);
    expect(await page.locator(`[data-cell-id="${cell}"]`).getAttribute('data-run-status')).toBe('running');

    await writeFile(join(started.cellmate.workspace, 'go'), '');
    await expect.poll(() => page.locator(`[data-cell-id="${cell}"] .cell-outputs`).innerText(), WAIT).toContain('went');
    await expect.poll(() => timing.getAttribute('data-timing'), WAIT).toBe('done');
    const took = await timing.locator('.cell-timing-took').innerText();
    const when = await timing.locator('.cell-timing-when').innerText();
    expect(took).toMatch(/^\d+(\.\d)? (ms|s)$|^\d+ min \d+ s$/);
    expect(when).toMatch(/\d{1,2}:\d{2}/);
    expect(await timing.getAttribute('title')).toMatch(/^Last run finished .*, took \d+\.\d{3} s$/);
    await page.screenshot({ path: 'test-results/e2e-run-time.png' });

    await page.reload();
    await expect.poll(() => page.locator(`[data-cell-id="${cell}"] .cell-outputs`).innerText(), WAIT).toContain('went');
    await expect.poll(() => timing.getAttribute('data-timing'), WAIT).toBe('done');
    expect(await timing.locator('.cell-timing-took').innerText()).toBe(took);
    expect(await timing.locator('.cell-timing-when').innerText()).toBe(when);
    await page.close();
  });
});
