/**
 * Text edits that merge, in Chromium: two pages type into the same cell at once while the assistant (a
 * whole-text set_source made in the server, as its edit tool does) and the REST API change it, and nothing is
 * lost: both pages and the server end with the same text holding every keystroke and every change of the
 * assistant and the API, and the typing page's cursor stayed where the person was typing. A reload in the middle of typing loses nothing either.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CellId } from '../../server/protocol/index.ts';
import { useCellmateAndBrowser } from '../helpers/browser.ts';
import { waitFor } from '../helpers/cellmate.ts';

/** How long a condition may take to come true on a loaded machine: a hang guard, not a timing bound. */
const WAIT = { timeout: 30_000 };

const started = useCellmateAndBrowser({}, { localModelServers: [] });

const shared = CellId.from('shared');

async function createNotebook(path: string, source: string): Promise<void> {
  const cell = { id: shared, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source };
  const response = await started.cellmate.api(`/api/notebooks/${path}`, { method: 'PUT', body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell] }) });
  expect(response.status).toBe(201);
}

async function openPage(path: string): Promise<Page> {
  const page = await started.browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${started.cellmate.url}/notebooks/${path}?token=${started.cellmate.token}`);
  await expect.poll(() => page.locator(`[data-cell-id="${shared}"] .cm-line`).count(), WAIT).toBeGreaterThan(0);
  return page;
}

/** The text the page's editor shows (one `.cm-line` per line). */
function editorText(page: Page): Promise<string> {
  return page.locator(`[data-cell-id="${shared}"] .cm-content`).evaluate((content) =>
    Array.from(content.querySelectorAll(':scope > .cm-line'), (line) => line.textContent ?? '').join('\n'),
  );
}

/** Puts the page's cursor at the end of line `n` (0-based) of the cell. */
async function cursorAtEndOfLine(page: Page, n: number): Promise<void> {
  await page.locator(`[data-cell-id="${shared}"] .cm-line`).nth(n).click();
  await page.keyboard.press('End');
}

async function serverText(path: string): Promise<string> {
  const session = await started.cellmate.sessions.open(path);
  return session.doc().cells.find((cell) => cell.id === shared)?.source ?? '';
}

describe('text edits that merge', () => {
  it('two pages and the assistant changing one cell at once end with the same text, every edit in it, the cursor kept', async () => {
    const path = 'merge.ipynb';
    await createNotebook(path, 'alpha\nbeta');
    const [a, b] = await Promise.all([openPage(path), openPage(path)]);
    await cursorAtEndOfLine(a, 0);
    await cursorAtEndOfLine(b, 1);
    const typedA = Array.from({ length: 25 }, (_, i) => `+a${i}`).join('');
    const typedB = Array.from({ length: 25 }, (_, i) => `+b${i}`).join('');

    // Whenever the text has moved on, a line goes at the top, before both cursors: in turn by the assistant (as its
    // edit tool does: the whole new source computed from the current one, applied in the server) and through
    // `PATCH …/cells/{id}` (read, then written over the network with the text it was made from, `base_source`,
    // while the pages go on typing).
    const session = await started.cellmate.sessions.open(path);
    const assistantLines: string[] = [];
    let typing = true;
    const current = () => session.doc().cells.find((cell) => cell.id === shared)?.source ?? '';
    const assistant = (async () => {
      let seen = current();
      for (;;) {
        await waitFor('the text to change or the typing to end', () => current() !== seen || !typing);
        if (!typing) return;
        const line = `#ai${assistantLines.length}`;
        assistantLines.push(line);
        if (assistantLines.length % 2 === 1) {
          // Read and written in one step, as the tool does: nothing can come between.
          session.applyEdits([{ type: 'set_source', id: shared, source: `${line}\n${current()}` }], 'agent');
        } else {
          const read = current();
          const body = JSON.stringify({ base_source: read, source: `${line}\n${read}` });
          const res = await started.cellmate.api(`/api/notebooks/${path}/cells/${shared}`, { method: 'PATCH', body });
          expect(res.status).toBe(200);
        }
        seen = current();
      }
    })();
    await Promise.all([a.keyboard.type(typedA, { delay: 15 }), b.keyboard.type(typedB, { delay: 15 })]);
    typing = false;
    await assistant;
    expect(assistantLines.length).toBeGreaterThan(0);

    const expected = (text: string) =>
      assistantLines.every((line) => text.includes(`${line}\n`)) && text.includes(`alpha${typedA}\nbeta${typedB}`);
    await expect.poll(async () => expected(await serverText(path)), WAIT).toBe(true);
    const final = await serverText(path);
    await expect.poll(() => editorText(a), WAIT).toBe(final);
    await expect.poll(() => editorText(b), WAIT).toBe(final);

    // The cursor of each page stayed where its person was typing: the next key lands right after their text.
    await a.keyboard.type('!');
    await b.keyboard.type('?');
    await expect.poll(() => serverText(path), WAIT).toContain(`alpha${typedA}!\nbeta${typedB}?`);
    const settled = await serverText(path);
    await expect.poll(() => editorText(a), WAIT).toBe(settled);
    await expect.poll(() => editorText(b), WAIT).toBe(settled);
    await Promise.all([a.close(), b.close()]);
  }, 180_000);

  it('a reload in the middle of typing loses nothing: the typed text is there after it', async () => {
    const path = 'reload.ipynb';
    await createNotebook(path, 'start');
    const page = await openPage(path);
    // Leaving with changes not confirmed asks first; the person says leave.
    page.on('dialog', (dialog) => void dialog.accept());
    await cursorAtEndOfLine(page, 0);
    const typed = Array.from({ length: 10 }, (_, i) => `-r${i}`).join('');
    await page.keyboard.type(typed);
    // Then three more keystrokes and the reload in one go, with no turn of the event loop between them: the
    // server can't have confirmed the first when the page goes, so the rest are still waiting to be sent.
    const burst = ['-x1', '-x2', '-x3'];
    const navigated = page.waitForEvent('framenavigated');
    await page
      .evaluate(async (keys) => {
        for (const key of keys) {
          document.execCommand('insertText', false, key);
          await Promise.resolve();
        }
        location.reload();
      }, burst)
      .catch(() => {});
    await navigated;
    const expected = `start${typed}${burst.join('')}`;
    await expect.poll(() => page.locator(`[data-cell-id="${shared}"] .cm-line`).count(), WAIT).toBeGreaterThan(0);
    await expect.poll(() => editorText(page), WAIT).toBe(expected);
    expect(await serverText(path)).toBe(expected);
    await page.close();
  }, 180_000);
});
