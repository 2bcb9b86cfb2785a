/**
 * Markdown as downloaded notebooks are written, in Chromium under the page's Content-Security-Policy: math set by
 * KaTeX (its script, stylesheet and fonts from Cellmate itself) in cells and markdown outputs, hostile TeX kept
 * inert, the table of contents in the sidebar selecting a far cell, heading folds that hide their section, are
 * saved as JupyterLab saves them and survive a reload, and remote images shown as a placeholder naming the host.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConsoleMessage, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCellmateAndBrowser, WAIT } from '../helpers/browser.ts';
import { enc } from '../helpers/notebook-socket.ts';

const started = useCellmateAndBrowser({}, { localModelServers: [] });

/** Runs in every document: a violation becomes a console message the test collects (as in csp.test.ts). */
const REPORT_VIOLATIONS = `addEventListener('securitypolicyviolation', (e) => {
  console.error('csp-violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI);
}, true);`;

const PATH = 'markdown-math.ipynb';
const markdown = (id: string, source: string, metadata = {}) => ({ id, cell_type: 'markdown', metadata, source });
const code = (id: string, source: string, outputs: unknown[] = []) => ({ id, cell_type: 'code', metadata: {}, execution_count: null, source, outputs });
// Enough cells between the top and the last heading that the last one is far out of sight.
const filler = Array.from({ length: 60 }, (_, i) => code(`fill${i}`, `x${i} = ${i}`));

const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    markdown('intro', '# Intro\n\nInline $a_1 * b_1 * c_1$ stays math, *this* is emphasis.\n\n$$\\sum_{i=1}^{n} x_i^2$$\n\nAnd \\(\\alpha_2\\) too.'),
    markdown('align', '\\begin{align}\na &= b + c \\\\\nd &= \\frac{e}{f}\n\\end{align}'),
    markdown('hostile', 'Hostile: $\\href{javascript:alert(1)}{click}$ $\\htmlClass{evil}{x}$ $\\def\\a{\\a\\a}\\a$'),
    markdown('remote', 'A chart: ![the chart](https://images.example.org/chart.png)'),
    code('out', 'display(Markdown(...))', [
      {
        output_type: 'display_data',
        metadata: {},
        data: { 'text/markdown': 'Output math $\\beta^2$ and ![x](https://cdn.example.net/y.png)', 'text/plain': 'Markdown' },
      },
    ]),
    markdown('secA', '## Section A\n\nIts cells fold.'),
    code('a1', 'a1 = 1'),
    markdown('detail', '### Detail of A'),
    code('a2', 'a2 = 2'),
    markdown('secB', '## Section B'),
    code('b1', 'b1 = 1'),
    ...filler,
    markdown('far', '# Far away\n\nThe end.'),
  ],
};

describe('markdown in the notebook page', () => {
  let page: Page;
  const problems: string[] = [];
  const cell = (id: string) => page.locator(`[data-cell-id="${id}"]`);

  beforeAll(async () => {
    expect((await started.cellmate.api(`/api/notebooks/${enc(PATH)}`, { method: 'PUT', body: JSON.stringify(notebook) })).status).toBe(201);
    page = await started.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(REPORT_VIOLATIONS);
    page.on('console', (message: ConsoleMessage) => {
      if (/csp-violation|Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${started.cellmate.url}/notebooks/${enc(PATH)}?token=${started.cellmate.token}`);
    await cell('intro').locator('h1', { hasText: 'Intro' }).waitFor(WAIT);
  });

  it('sets inline, display and align math with KaTeX, its stylesheet and fonts from Cellmate, with no violation', async () => {
    const intro = cell('intro');
    await expect.poll(() => intro.locator('.katex').count(), WAIT).toBe(3);
    expect(await intro.locator('.katex-display').count()).toBe(1);
    expect(await intro.locator('.katex-error, .math-pending').count()).toBe(0);
    // `*` and `_` inside math reached KaTeX; only the one outside became emphasis.
    expect(await intro.locator('em').allInnerTexts()).toEqual(['this']);
    expect(await intro.locator('.katex').first().locator('msub').count()).toBe(3);

    const align = cell('align');
    await expect.poll(() => align.locator('.katex-display').count(), WAIT).toBe(1);
    expect(await align.locator('.katex-error').count()).toBe(0);
    expect(await align.locator('.katex-html .mfrac').count()).toBe(1);

    await expect.poll(() => cell('out').locator('.output-markdown .katex').count(), WAIT).toBe(1);

    // KaTeX's stylesheet applies and its fonts load, from this server (the policy allows nothing else).
    expect(await intro.locator('.katex').first().evaluate((element) => getComputedStyle(element).fontFamily)).toContain('KaTeX_Main');
    await expect
      .poll(() => page.evaluate(() => [...document.fonts].filter((font) => font.family.includes('KaTeX') && font.status === 'loaded').length), WAIT)
      .toBeGreaterThan(0);
    const fontUrls = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => /KaTeX_.*\.woff2/.test(name)));
    expect(fontUrls.length).toBeGreaterThan(0);
    for (const url of fontUrls) expect(new URL(url).origin).toBe(started.cellmate.url);

    // Hostile TeX: no link, no class of its own, the runaway macro stopped as an error.
    const hostile = cell('hostile');
    await expect.poll(() => hostile.locator('.katex').count(), WAIT).toBe(2);
    expect(await hostile.locator('a').count()).toBe(0);
    expect(await hostile.locator('.evil').count()).toBe(0);
    expect(await hostile.locator('.katex-error').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('shows a remote image as a placeholder naming its host, with a link to open it in a new tab', async () => {
    for (const [id, host, src] of [
      ['remote', 'images.example.org', 'https://images.example.org/chart.png'],
      ['out', 'cdn.example.net', 'https://cdn.example.net/y.png'],
    ] as const) {
      const placeholder = cell(id).locator('.remote-image');
      await expect.poll(() => placeholder.count(), WAIT).toBe(1);
      expect(await placeholder.getAttribute('data-remote-host')).toBe(host);
      expect(await placeholder.innerText()).toContain(host);
      const link = placeholder.locator('a');
      expect(await link.getAttribute('href')).toBe(src);
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await cell(id).locator('img').count()).toBe(0);
    }
    expect(problems).toEqual([]);
  });

  it('lists the headings in the sidebar; a click selects the far cell and brings it into view', async () => {
    await page.getByRole('tab', { name: 'Contents' }).click();
    const entries = page.locator('[data-sidebar-panel="contents"] .toc-entry');
    await expect.poll(() => entries.allInnerTexts(), WAIT).toEqual(['Intro', 'Section A', 'Detail of A', 'Section B', 'Far away']);
    expect(await entries.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-level')))).toEqual(['1', '2', '3', '2', '1']);

    await entries.filter({ hasText: 'Far away' }).click();
    await expect.poll(() => page.locator('[data-cell-id="far"].is-selected').count(), WAIT).toBe(1);
    await expect
      .poll(() => cell('far').evaluate((element) => {
        const box = element.getBoundingClientRect();
        return box.top >= 0 && box.top < window.innerHeight;
      }), WAIT)
      .toBe(true);
    expect(await entries.filter({ hasText: 'Far away' }).getAttribute('aria-current')).toBe('location');
  });

  it('folds a section, keeps the fold in heading_collapsed across a reload, and opens it by its count or a selection inside', async () => {
    const section = cell('secA');
    const tocEntry = (text: string) => page.locator('[data-sidebar-panel="contents"] .toc-entry', { hasText: text });
    await tocEntry('Section A').click();
    await expect.poll(() => page.locator('[data-cell-id="secA"].is-selected').count(), WAIT).toBe(1);
    await section.getByRole('button', { name: 'Fold section' }).click();
    // Everything up to the next heading of the same level is hidden; Section B stays.
    await expect.poll(() => page.locator('[data-cell-id="a1"], [data-cell-id="detail"], [data-cell-id="a2"]').count(), WAIT).toBe(0);
    expect(await cell('secB').count()).toBe(1);
    expect(await section.locator('.fold-hidden-count').innerText()).toBe('3 cells hidden');

    // Saved where JupyterLab keeps it.
    const file = join(started.cellmate.workspace, PATH);
    const savedMetadata = async () => (JSON.parse(await readFile(file, 'utf8')) as typeof notebook).cells.find((c) => c.id === 'secA')?.metadata;
    await expect.poll(savedMetadata, WAIT).toEqual({ heading_collapsed: true });

    await page.reload();
    await expect.poll(() => section.getByRole('button', { name: 'Unfold section' }).getAttribute('aria-expanded'), WAIT).toBe('false');
    expect(await page.locator('[data-cell-id="a1"], [data-cell-id="a2"]').count()).toBe(0);
    expect(await section.locator('.fold-hidden-count').innerText()).toBe('3 cells hidden');

    // ↓ in command mode steps over the folded section, which stays folded.
    await section.locator('.markdown-rendered').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-cell-id') ?? null), WAIT).toBe('secA');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[data-cell-id="secB"].is-selected').count(), WAIT).toBe(1);
    expect(await page.locator('[data-cell-id="a1"], [data-cell-id="a2"]').count()).toBe(0);

    await section.locator('.fold-hidden-count').click();
    await expect.poll(() => page.locator('[data-cell-id="a1"], [data-cell-id="detail"], [data-cell-id="a2"]').count(), WAIT).toBe(3);
    await expect.poll(savedMetadata, WAIT).toEqual({});

    // Folded again, the table of contents' entry for a heading inside opens the section and selects it.
    await section.getByRole('button', { name: 'Fold section' }).click();
    await expect.poll(() => cell('detail').count(), WAIT).toBe(0);
    // The sidebar's open panel is kept across the reload.
    await tocEntry('Detail of A').click();
    await expect.poll(() => page.locator('[data-cell-id="detail"].is-selected').count(), WAIT).toBe(1);
    expect(await page.locator('[data-cell-id="a1"], [data-cell-id="a2"]').count()).toBe(2);
    expect(await section.getByRole('button', { name: 'Fold section' }).getAttribute('aria-expanded')).toBe('true');
    expect(problems).toEqual([]);
  });

  it('lets SVG and MathML through the sanitiser (KaTeX is made of them) without their scripts, handlers or javascript: links', async () => {
    const hostileMarkup =
      '<svg onload="window.__pwned=1"><script>window.__pwned=1</script><a href="javascript:window.__pwned=1"><text y="10">t</text></a></svg>\n' +
      '<math><mi href="javascript:window.__pwned=1" onclick="window.__pwned=1">m</mi></math> and $x^2$';
    const doc = { ...notebook, cells: [markdown('svg', hostileMarkup)] };
    expect((await started.cellmate.api('/api/notebooks/hostile-svg.ipynb', { method: 'PUT', body: JSON.stringify(doc) })).status).toBe(201);
    const other = await started.browser.newPage();
    const blocked: string[] = [];
    await other.addInitScript(REPORT_VIOLATIONS);
    other.on('console', (message: ConsoleMessage) => {
      if (message.text().startsWith('csp-violation')) blocked.push(message.text());
    });
    await other.goto(`${started.cellmate.url}/notebooks/hostile-svg.ipynb?token=${started.cellmate.token}`);
    const rendered = other.locator('[data-cell-id="svg"] .markdown-body');
    await expect.poll(() => rendered.locator('.katex').count(), WAIT).toBe(1);
    const userMi = rendered.locator('math mi').filter({ hasText: /^m$/ });
    expect(await rendered.locator('svg a text').count()).toBe(1);
    expect(await userMi.count()).toBe(1);
    const unsafe = await rendered.evaluate((root) =>
      [...root.querySelectorAll('*')].flatMap((element) =>
        [...element.attributes].filter((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)).map((a) => `${element.tagName} ${a.name}`),
      ),
    );
    expect(unsafe).toEqual([]);
    expect(await rendered.locator('script').count()).toBe(0);
    await rendered.locator('svg').first().dispatchEvent('load');
    await userMi.click();
    expect(await other.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Parsing the hostile markup to sanitise it may make Chromium check the handlers against the policy (which
    // refuses them) even though the parsed document never runs anything; nothing else may be refused.
    expect(blocked.filter((text) => !text.startsWith('csp-violation: script-src-attr blocked inline'))).toEqual([]);
    await other.close();
  });
});
