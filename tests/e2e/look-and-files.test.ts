/**
 * The notebook page's files and looks, in Chromium against a real Cellmate and kernel:
 * - the sidebar's Files panel lists the workspace from the notebook's folder; a click on a file inserts its path
 *   relative to the notebook at the cursor of the cell being edited (quoted), or as a new code cell;
 * - files dropped anywhere on the page upload into the folder the panel shows: on disk and in the list;
 * - the dark theme follows the system and the switch, persists across a reload, and keeps tracebacks, code and
 *   HTML outputs readable (contrast computed from the computed styles);
 * - at 1280×800 with the sidebar and the assistant's panel open nothing overflows and the editor keeps its room;
 * - no page breaks the Content-Security-Policy; screenshots of the main views go to test-results/screenshots/.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { launchChromium, WAIT } from '../helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { addedCellId } from '../llm/harness.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from '../llm/fake-openai-server.ts';

const SCREENSHOTS = 'test-results/screenshots';
const LAPTOP = { width: 1280, height: 800 };

/** Runs in every document, frames included: a violation becomes a console message the test collects. */
const REPORT_VIOLATIONS = `addEventListener('securitypolicyviolation', (e) => {
  console.error('csp-violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI);
}, true);`;

const CHART_SOURCE = [
  'import altair as alt',
  'alt.Chart(sales).mark_bar(cornerRadiusTopLeft=3, cornerRadiusTopRight=3).encode(x=alt.X("month:N", sort=None), y="revenue:Q").properties(width=360, height=160)',
].join('\n');

let model: FakeOpenAIServer;
let cellmate: TestCellmate;
let browser: Browser;
const problems: string[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  model = await startFakeOpenAI({
    script: [
      reply.textAndTools('I will chart revenue by month.', { name: 'add_cell', arguments: { source: CHART_SOURCE, cell_type: 'code', after_cell_id: null } }),
      (request) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(request) } }),
      reply.text('Revenue peaked in **January** and **March**, and fell to its lowest in April.'),
    ],
  });
  const provider = providerConfigFromEnv({ OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'test-key', CELLMATE_MODEL: 'fake-model' });
  [cellmate, browser] = await Promise.all([startTestCellmate({ provider }), launchChromium()]);
  const at = (path: string) => join(cellmate.workspace, path);
  await Promise.all([mkdir(at('notebooks'), { recursive: true }), mkdir(at('data'), { recursive: true }), mkdir(SCREENSHOTS, { recursive: true })]);
  await writeFile(at('data/x.csv'), 'month,revenue\nJan,200\n');
});

afterAll(async () => {
  await browser?.close();
  await cellmate?.cleanup();
  await model?.close();
});

afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.context().close()));
  expect(problems.splice(0)).toEqual([]);
});

const code = (id: string, source: string) => ({ id, cell_type: 'code', metadata: {}, execution_count: null, source, outputs: [] });
const markdown = (id: string, source: string) => ({ id, cell_type: 'markdown', metadata: {}, source });

async function putNotebook(path: string, cells: object[]): Promise<void> {
  const notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
  const answer = await cellmate.api(`/api/notebooks/${encodeURIComponent(path)}`, { method: 'PUT', body: JSON.stringify(notebook) });
  expect(answer.status).toBe(201);
}

async function runAll(path: string): Promise<string[]> {
  const run = await cellmate.api(`/api/notebooks/${encodeURIComponent(path)}/execute`, { method: 'POST', body: JSON.stringify({ all: true }) });
  const { cells } = (await run.json()) as { cells: { status: string }[] };
  return cells.map((cell) => cell.status);
}

/** A page in a fresh context (its own localStorage), watched for CSP violations and errors. */
async function openPage(path: string | null, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: LAPTOP, ...options });
  const page = await context.newPage();
  pages.push(page);
  await page.addInitScript(REPORT_VIOLATIONS);
  page.on('console', (message: ConsoleMessage) => {
    if (/csp-violation|Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  const where = path === null ? '/' : `/notebooks/${path.split('/').map(encodeURIComponent).join('/')}`;
  await page.goto(`${cellmate.url}${where}?token=${cellmate.token}`);
  if (path !== null) await page.locator('[data-page="notebook"][data-connection="open"] article.cell').first().waitFor(WAIT);
  return page;
}

const filesPanel = (page: Page) => page.locator('[data-sidebar-panel="files"] [data-files-panel]');
const fileRow = (page: Page, path: string) => filesPanel(page).locator(`li[data-file-path="${path}"]`);
const editorText = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"] .cm-content`).innerText();

/** The ratio of WCAG contrast between an element's text colour and the first opaque background behind it. */
function contrastOf(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((elements) => {
    // Any CSS colour (rgb(), oklch() from the relative colours...) as sRGB bytes and alpha, through a canvas.
    const canvas = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    if (!canvas) throw new Error('no canvas to read colours with');
    const parse = (colour: string) => {
      canvas.clearRect(0, 0, 1, 1);
      canvas.fillStyle = colour;
      canvas.fillRect(0, 0, 1, 1);
      const [r = 0, g = 0, b = 0, a = 0] = canvas.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const [R, G, B] = [r, g, b].map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
    };
    const background = (element: Element | null): number[] => {
      for (let node = element; node; node = node.parentElement) {
        const rgba = parse(getComputedStyle(node).backgroundColor);
        if ((rgba[3] ?? 0) > 0.9) return rgba;
      }
      return parse(getComputedStyle(document.body).backgroundColor);
    };
    return elements.map((element) => {
      const [a, b] = [luminance(parse(getComputedStyle(element).color)), luminance(background(element))];
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    });
  });
}

const bodyLuminance = (page: Page) =>
  page.evaluate(() => {
    const [r = 0, g = 0, b = 0] = (getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });

describe('the Files panel', () => {
  it('lists the workspace from the notebook folder, and a click inserts a file path relative to the notebook', async () => {
    await putNotebook('notebooks/analysis.ipynb', [code('load', 'df = pd.read_csv()')]);
    const page = await openPage('notebooks/analysis.ipynb');
    await expect.poll(() => filesPanel(page).getAttribute('data-folder'), WAIT).toBe('notebooks');
    await fileRow(page, 'notebooks/analysis.ipynb').waitFor(WAIT);
    expect(await fileRow(page, 'notebooks/analysis.ipynb').locator('a').getAttribute('href')).toBe('/notebooks/notebooks/analysis.ipynb');

    // Up to the workspace, into data/: the file elsewhere is listed.
    await filesPanel(page).getByRole('button', { name: 'Up one folder' }).click();
    await fileRow(page, 'data').getByRole('button').click();
    await fileRow(page, 'data/x.csv').waitFor(WAIT);

    // In edit mode, the cursor between the parentheses: the quoted relative path goes there.
    await page.locator('[data-cell-id="load"] .cm-content').click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await fileRow(page, 'data/x.csv').getByRole('button').click();
    await expect.poll(() => editorText(page, 'load'), WAIT).toBe("df = pd.read_csv('../data/x.csv')");
    // Typing goes on where the path ended: the editor kept the focus.
    await page.keyboard.type(', sep=","');
    await expect.poll(() => editorText(page, 'load'), WAIT).toBe(`df = pd.read_csv('../data/x.csv', sep=",")`);
    await expect
      .poll(async () => {
        const saved = (await (await cellmate.api('/api/notebooks/notebooks%2Fanalysis.ipynb')).json()) as { cells: { source: string | string[] }[] };
        return [saved.cells[0]?.source ?? ''].flat().join('');
      }, WAIT)
      .toBe(`df = pd.read_csv('../data/x.csv', sep=",")`);

    // In command mode: a new code cell below holds the quoted path.
    await page.keyboard.press('Escape');
    await fileRow(page, 'data/x.csv').getByRole('button').click();
    await expect.poll(() => page.locator('article.cell').count(), WAIT).toBe(2);
    expect(await page.locator('article.cell .cm-content').nth(1).innerText()).toBe("'../data/x.csv'");
  });

  it('uploads files dropped anywhere on the page into the folder it shows, with the drop overlay', async () => {
    await putNotebook('notebooks/drop.ipynb', [code('a', 'x = 1')]);
    const page = await openPage('notebooks/drop.ipynb');
    await expect.poll(() => filesPanel(page).getAttribute('data-folder'), WAIT).toBe('notebooks');
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['month,revenue\nFeb,135\n'], 'dropped.csv', { type: 'text/csv' }));
      Object.assign(window, { transfer });
      const target = document.querySelector('.cm-content');
      if (!target) throw new Error('no editor to drop on');
      target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    });
    await expect.poll(() => page.locator('.file-drop-overlay').innerText(), WAIT).toContain('notebooks');
    await page.evaluate(() => {
      const { transfer } = window as unknown as { transfer: DataTransfer };
      document.querySelector('.cm-content')?.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    });
    await expect.poll(() => page.locator('.file-drop-overlay').count(), WAIT).toBe(0);
    await expect.poll(() => page.locator('[data-upload-path="notebooks/dropped.csv"]').getAttribute('data-upload-status'), WAIT).toBe('done');
    expect(await readFile(join(cellmate.workspace, 'notebooks/dropped.csv'), 'utf8')).toBe('month,revenue\nFeb,135\n');
    await fileRow(page, 'notebooks/dropped.csv').waitFor(WAIT);
    // The drop is not text typed into the cell it landed on.
    expect(await editorText(page, 'a')).toBe('x = 1');
  });
});

describe('the dark theme', () => {
  it('follows the system, then the switch, persists across a reload, and keeps tracebacks and code readable', async () => {
    await putNotebook('theme.ipynb', [
      code('table', 'import pandas as pd\npd.DataFrame({"month": ["Jan", "Feb"], "revenue": [200, 135]})'),
      code('boom', 'def divide(a, b):\n    return a / b\n\ndivide(1, 0)'),
    ]);
    expect(await runAll('theme.ipynb')).toEqual(['ok', 'error']);
    const page = await openPage('theme.ipynb', { colorScheme: 'dark' });
    const traceback = '[data-cell-id="boom"] .output-error pre span, [data-cell-id="boom"] .error-title';
    await page.locator('[data-cell-id="boom"] .output-error pre span').first().waitFor(WAIT);

    // The system prefers dark: the page is dark, and every coloured part of the traceback is readable on it.
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await bodyLuminance(page)).toBeLessThan(0.15);
    const darkContrast = await contrastOf(page, traceback);
    expect(darkContrast.length).toBeGreaterThan(3);
    expect(Math.min(...darkContrast)).toBeGreaterThan(4.5);
    expect(Math.min(...(await contrastOf(page, '[data-cell-id="boom"] .cm-line span')))).toBeGreaterThan(4.5);
    // The table's frame is styled for the dark page (its text light) while staying transparent over it.
    const frameBody = page.frameLocator('[data-cell-id="table"] iframe.output-html').locator('body');
    await expect.poll(() => frameBody.evaluate((body) => getComputedStyle(body).color), WAIT).toBe('rgb(227, 230, 234)');

    // The switch overrides the system, and the choice survives a reload.
    await page.getByRole('button', { name: 'Light theme' }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-theme'), WAIT).toBe('light');
    expect(await bodyLuminance(page)).toBeGreaterThan(0.85);
    expect(Math.min(...(await contrastOf(page, traceback)))).toBeGreaterThan(4.5);
    await expect.poll(() => frameBody.evaluate((body) => getComputedStyle(body).color), WAIT).toBe('rgb(31, 35, 40)');
    await page.reload();
    await page.locator('[data-cell-id="boom"] .output-error').waitFor(WAIT);
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    expect(await page.getByRole('button', { name: 'Light theme' }).getAttribute('aria-pressed')).toBe('true');

    // Dark by the switch; then back to the system's choice, which is followed as it changes.
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect.poll(() => bodyLuminance(page), WAIT).toBeLessThan(0.15);
    await page.getByRole('button', { name: 'System theme' }).click();
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.locator('html').getAttribute('data-theme'), WAIT).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.locator('html').getAttribute('data-theme'), WAIT).toBe('dark');
  });
});

describe('a laptop screen', () => {
  it('fits the sidebar, the notebook and the assistant in 1280 px without overflowing, and floats the sidebar when narrower', async () => {
    await putNotebook('wide.ipynb', [code('long', `data = ${JSON.stringify('x'.repeat(400))}`), code('other', 'print(1)')]);
    const page = await openPage('wide.ipynb');
    await expect.poll(() => page.locator('[data-sidebar]').getAttribute('data-open'), WAIT).toBe('files');
    expect(await page.locator('[data-panel="agent"]').getAttribute('data-open')).toBe('true');
    expect(await page.locator('[data-sidebar]').getAttribute('data-overlay')).toBe('false');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    const editorWidth = async () => (await page.locator('[data-cell-id="other"] .cm-editor').boundingBox())?.width ?? 0;
    expect(await editorWidth()).toBeGreaterThanOrEqual(500);

    // Narrower: the open sidebar floats over the notebook instead of squeezing it.
    await page.setViewportSize({ width: 1000, height: 800 });
    await expect.poll(() => page.locator('[data-sidebar]').getAttribute('data-overlay'), WAIT).toBe('true');
    expect(await overflow()).toBe(0);
    const besideFloating = await editorWidth();
    await page.getByRole('button', { name: 'Hide sidebar' }).click();
    await expect.poll(() => page.locator('[data-sidebar]').getAttribute('data-open'), WAIT).toBe('');
    expect(await editorWidth()).toBe(besideFloating);
  });
});

describe('screenshots', () => {
  it('saves the main views, light and dark, with outputs, a chart and the assistant', async () => {
    await mkdir(join(cellmate.workspace, 'reports'));
    await writeFile(join(cellmate.workspace, 'reports/sales.csv'), 'month,revenue\nJan,200\nFeb,135\nMar,190\nApr,90\n');
    await putNotebook('reports/sales.ipynb', [
      markdown('title', '# Monthly revenue\nFirst look at the **2024** sales export.'),
      code('load', 'import pandas as pd\nsales = pd.read_csv("sales.csv")\nsales'),
    ]);
    expect(await runAll('reports/sales.ipynb')).toEqual(['ok']);
    const page = await openPage('reports/sales.ipynb', { colorScheme: 'light' });
    const prompt = page.getByRole('textbox', { name: 'Ask the assistant' });
    await prompt.fill('Chart revenue by month');
    await prompt.press('Enter');
    await expect.poll(() => page.locator('[data-turn-id]').last().getAttribute('data-turn-state'), { timeout: 60_000 }).toBe('done');
    const chart = page.locator('article.cell .cell-outputs canvas');
    await chart.waitFor({ timeout: 60_000 });
    await page.locator('[data-sidebar-panel="files"] li[data-file-path="reports/sales.csv"]').waitFor(WAIT);

    await page.screenshot({ path: `${SCREENSHOTS}/notebook-light.png` });
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect.poll(() => bodyLuminance(page), WAIT).toBeLessThan(0.15);
    // The chart is drawn again in the dark theme (canvas colours are not CSS).
    await page.locator('article.cell .cell-outputs canvas').waitFor(WAIT);
    await expect.poll(() => page.locator('.output-chart[aria-busy="false"]').count(), WAIT).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/notebook-dark.png` });

    // The assistant's panel with the sidebar closed, and the list page, in both themes.
    await page.getByRole('button', { name: 'Light theme' }).click();
    await page.getByRole('button', { name: 'Hide sidebar' }).click();
    await expect.poll(() => page.locator('[data-sidebar]').getAttribute('data-open'), WAIT).toBe('');
    await page.screenshot({ path: `${SCREENSHOTS}/assistant.png` });
    const list = await openPage(null);
    await list.locator('[data-page="list"] a[href="/notebooks/reports/sales.ipynb"]').first().waitFor(WAIT);
    await list.screenshot({ path: `${SCREENSHOTS}/list-light.png` });
    await list.getByRole('button', { name: 'Dark theme' }).click();
    await expect.poll(() => bodyLuminance(list), WAIT).toBeLessThan(0.15);
    await list.screenshot({ path: `${SCREENSHOTS}/list-dark.png` });

    for (const name of ['notebook-light', 'notebook-dark', 'assistant', 'list-light', 'list-dark']) {
      expect((await stat(`${SCREENSHOTS}/${name}.png`)).size).toBeGreaterThan(20_000);
    }
  });
});
