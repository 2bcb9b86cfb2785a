/**
 * The 2,000-cell notebook's first screen, drawn as static text before any editor exists (editor/static-code.ts),
 * and what must still work around it: a press on a cell's static text puts the editor's cursor where it was
 * pressed, and the assistant adding a cell far below the viewport (the fake model calls `add_cell`) lands it there,
 * in the notebook's count and, once scrolled to, on the screen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { launchChromium, WAIT } from '../helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { enc } from '../helpers/notebook-socket.ts';
import { writePrintedCellsNotebook } from '../fixtures/printed-cells.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from '../llm/fake-openai-server.ts';

const CELLS = 2000;
/** The cell the assistant adds its cell after (0-based): far below the first screen. */
const FAR = 1700;

let browser: Browser;
let model: FakeOpenAIServer;
let cellmate: TestCellmate;
let farId = '';

beforeAll(async () => {
  model = await startFakeOpenAI({
    script: [
      () => reply.tools({ name: 'add_cell', arguments: { source: 'added_far_below = 42', cell_type: 'code', after_cell_id: farId } }),
      reply.text('Added a cell after cell 1,701.'),
    ],
  });
  [cellmate, browser] = await Promise.all([
    startTestCellmate({ provider: providerConfigFromEnv({ OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'test-key', CELLMATE_MODEL: 'fake-model' }) }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await cellmate?.cleanup();
  await model?.close();
});

async function openBig(path: string, setup?: (page: Page) => Promise<unknown>): Promise<{ page: Page; ids: string[]; errors: string[] }> {
  const doc = await writePrintedCellsNotebook(cellmate.workspace, path, CELLS);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await setup?.(page);
  await page.goto(`${cellmate.url}/notebooks/${enc(path)}?token=${cellmate.token}`);
  await page.locator('section.cells[data-cell-count]').waitFor({ timeout: 60_000 });
  return { page, ids: doc.cells.map((cell) => cell.id), errors };
}

const cell = (page: Page, id: string) => page.locator(`article.cell[data-cell-id="${id}"]`);

declare global {
  interface Window {
    /** What the press on the static text found: whether the cell was still static, and the cell it was in. */
    staticPress?: { wasStatic: boolean; cellId: string | null };
  }
}

/**
 * Runs in the page before its scripts: in the first frame where the third cell shows its static text, presses
 * (mousedown, then mouseup) on the left edge of its fourth character, as a click there would. Done from the frame
 * itself, so the text is certainly still static (editors are made when the page is idle, after the frame).
 */
const PRESS_ON_STATIC_TEXT = `(() => {
  const onFrame = () => {
    const article = document.querySelectorAll('article.cell')[2];
    const content = article && article.querySelector('.static-content');
    if (!content) return requestAnimationFrame(onFrame);
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    let left = 3;
    let node = walker.nextNode();
    while (node && node.length <= left) {
      left -= node.length;
      node = walker.nextNode();
    }
    const range = document.createRange();
    range.setStart(node, left);
    range.setEnd(node, left + 1);
    const box = range.getBoundingClientRect();
    const at = { clientX: box.left + 1, clientY: box.top + box.height / 2, bubbles: true, cancelable: true, button: 0, buttons: 1, detail: 1, view: window };
    window.staticPress = { wasStatic: true, cellId: article.getAttribute('data-cell-id') };
    node.parentElement.dispatchEvent(new MouseEvent('mousedown', at));
    document.dispatchEvent(new MouseEvent('mouseup', { ...at, buttons: 0 }));
  };
  requestAnimationFrame(onFrame);
})()`;

describe('the first screen of a 2,000-cell notebook', () => {
  it('puts the cursor where its static text was pressed, in the editor made for the press', async () => {
    const { page, ids, errors } = await openBig('press.ipynb', (page) => page.addInitScript({ content: PRESS_ON_STATIC_TEXT }));
    await page.waitForFunction(() => window.staticPress !== undefined, undefined, WAIT);
    expect(await page.evaluate(() => window.staticPress)).toEqual({ wasStatic: true, cellId: ids[2] });
    // The editor took the press (one click, `detail: 1`, as a real one): this cell is edited, the cursor after "pri".
    await expect.poll(() => cell(page, ids[2]!).getAttribute('class'), WAIT).toContain('is-editing');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('article.cell')?.getAttribute('data-cell-id') ?? null), WAIT).toBe(ids[2]);
    await page.keyboard.type('X');
    const session = await cellmate.sessions.open('press.ipynb');
    await expect.poll(() => session.doc().cells[2]?.source, WAIT).toBe('priXnt(3)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a cell the assistant adds far below the viewport, in its place, once scrolled to', async () => {
    const { page, ids, errors } = await openBig('assistant.ipynb');
    farId = ids[FAR]!;
    const prompt = page.getByRole('textbox', { name: 'Ask the assistant' });
    await prompt.fill('add a cell after cell 1701');
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled(), WAIT).toBe(true);
    await prompt.press('Enter');
    await expect.poll(() => page.locator('[data-turn-id]').last().getAttribute('data-turn-state'), { timeout: 60_000 }).toBe('done');

    await expect.poll(() => page.locator('section.cells').getAttribute('data-cell-count'), WAIT).toBe(String(CELLS + 1));
    const session = await cellmate.sessions.open('assistant.ipynb');
    const added = session.doc().cells[FAR + 1]!;
    expect(added.source).toBe('added_far_below = 42');
    // Windowed still: the new cell is not drawn while far from the viewport, and few cells are in the DOM.
    expect(await page.locator('article.cell').count()).toBeLessThan(60);

    // Scrolled to it: near where the list's height says it is, then a half screen at a time toward it.
    const target = FAR + 2;
    await page.evaluate((fraction) => {
      const list = document.querySelector('section.cells')!.getBoundingClientRect();
      window.scrollTo(0, list.top + window.scrollY + list.height * fraction);
    }, (FAR + 1) / (CELLS + 1));
    for (let step = 0; step < 200 && (await cell(page, added.id).count()) === 0; step++) {
      await page.evaluate((wanted) => {
        const shown = [...document.querySelectorAll('article.cell')]
          .filter((article) => {
            const box = article.getBoundingClientRect();
            return box.bottom > 0 && box.top < window.innerHeight;
          })
          .map((article) => Number(article.getAttribute('aria-posinset')));
        const direction = shown.length === 0 || Math.max(...shown) < wanted ? 1 : -1;
        window.scrollBy(0, (direction * window.innerHeight) / 2);
      }, target);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    }
    const addedCell = cell(page, added.id);
    await addedCell.scrollIntoViewIfNeeded();
    await expect.poll(() => addedCell.locator('.static-content, .cm-content').first().innerText(), WAIT).toBe('added_far_below = 42');
    expect(await addedCell.getAttribute('aria-label')).toBe(`Code cell ${FAR + 2}`);
    expect(await addedCell.locator('.cell-agent-badge').count()).toBe(1);
    // Between the cells it was added after and before.
    const order = await page.evaluate(
      (wanted) => wanted.map((id) => document.querySelector(`article.cell[data-cell-id="${id}"]`)?.getBoundingClientRect().top ?? null),
      [ids[FAR]!, added.id, ids[FAR + 1]!],
    );
    expect(order.every((top) => top !== null)).toBe(true);
    expect(order[0]! < order[1]! && order[1]! < order[2]!).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
