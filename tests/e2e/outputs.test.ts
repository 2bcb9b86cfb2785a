/**
 * Outputs are untrusted: a notebook whose outputs try to run script (HTML, SVG, markdown, javascript: links) or
 * to reach the network (a chart whose data lives at another origin) is shown with none of it happening. And both
 * vega-lite versions altair emits (v4, v5) are drawn.
 */
import type { ConsoleMessage, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useCellmateAndBrowser } from '../helpers/browser.ts';

const started = useCellmateAndBrowser();

/** Runs in every document: a CSP violation (a blocked fetch, say) becomes a console message the test collects. */
const REPORT_VIOLATIONS = `addEventListener('securitypolicyviolation', (e) => {
  console.error('csp-violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI);
}, true);`;

const PWN = "window.top.__pwned = (window.top.__pwned || 0) + 1; try { window.top.document.title = 'pwned' } catch (e) {}";

function chart(version: 4 | 5, values: unknown) {
  return {
    $schema: `https://vega.github.io/schema/vega-lite/v${version}.json`,
    data: values,
    mark: 'bar',
    encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
  };
}

function code(id: string, outputs: unknown[]) {
  return { id, cell_type: 'code', metadata: {}, execution_count: 1, source: `# ${id}`, outputs };
}

const display = (data: Record<string, unknown>) => ({ output_type: 'display_data', data, metadata: {} });

const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    code('v4', [display({ 'application/vnd.vegalite.v4+json': chart(4, { values: [{ a: 'x', b: 1 }, { a: 'y', b: 2 }] }), 'text/plain': 'chart' })]),
    code('v5', [display({ 'application/vnd.vegalite.v5+json': chart(5, { values: [{ a: 'x', b: 3 }, { a: 'y', b: 4 }] }), 'text/plain': 'chart' })]),
    code('remote-data', [display({ 'application/vnd.vegalite.v5+json': chart(5, { url: 'http://127.0.0.1:9/steal.csv' }), 'text/plain': 'chart' })]),
    code('html', [
      display({
        'text/html': `<b>table</b><script>${PWN}</script><img src="x" onerror="${PWN}"><a href="javascript:${PWN}" id="js">x</a>`,
        'text/plain': 'html',
      }),
    ]),
    code('svg', [display({ 'image/svg+xml': `<svg xmlns="http://www.w3.org/2000/svg" onload="${PWN}"><script>${PWN}</script><circle r="5"/></svg>` })]),
    code('markdown-output', [display({ 'text/markdown': `[click](javascript:${PWN}) <img src=x onerror="${PWN}"> <script>${PWN}</script>` })]),
    code('plain', [{ output_type: 'stream', name: 'stdout', text: `<img src=x onerror="${PWN}">\u001b[31mred\u001b[0m` }]),
    { id: 'md', cell_type: 'markdown', metadata: {}, source: `# Title\n<img src=x onerror="${PWN}"><script>${PWN}</script>\n[link](javascript:${PWN})` },
  ],
};

describe('hostile outputs', () => {
  it('draw both vega-lite versions and run no script, reach no other origin', async () => {
    const put = await started.cellmate.api('/api/notebooks/hostile.ipynb', { method: 'PUT', body: JSON.stringify(notebook) });
    expect(put.status).toBe(201);

    const page = await started.browser.newPage({ viewport: { width: 1280, height: 2400 } });
    const foreign: string[] = [];
    page.on('request', (request: Request) => {
      const url = request.url();
      if (!url.startsWith(started.cellmate.url) && !url.startsWith('data:') && !url.startsWith('blob:') && url !== 'about:srcdoc') foreign.push(url);
    });
    // A fetch the page's CSP stops never becomes a request: it counts as a violation naming another origin. (The
    // HTML output's own script and handlers are stopped by its frame's policy too, as violations without one.)
    await page.addInitScript(REPORT_VIOLATIONS);
    page.on('console', (message: ConsoleMessage) => {
      const blocked = /^csp-violation: \S+ blocked (\S+)/.exec(message.text())?.[1];
      if (blocked && /^(https?|wss?):/.test(blocked) && !blocked.startsWith(started.cellmate.url)) foreign.push(`${blocked} (blocked by CSP)`);
    });
    await page.goto(`${started.cellmate.url}/notebooks/hostile.ipynb?token=${started.cellmate.token}`);
    const cell = (id: string) => page.locator(`[data-cell-id="${id}"]`);
    for (const id of ['v4', 'v5', 'remote-data']) {
      await expect.poll(() => cell(id).locator('.cell-outputs svg, .cell-outputs canvas').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    }
    // The remote-data chart is done: vega-embed resolves after the view's first run, which waits for its data
    // loads, so by now the URL has been asked for (and refused) — the request counts below are not vacuous.
    await expect.poll(() => cell('remote-data').locator('.output-chart[aria-busy="false"]').count(), { timeout: 30_000 }).toBe(1);
    expect(await cell('remote-data').locator('.output-warning').count()).toBe(0);
    // The HTML output is shown (in its frame), the SVG as an image, the markdown output and cell rendered.
    await expect.poll(() => cell('html').locator('iframe').count()).toBe(1);
    expect(await cell('svg').locator('img').count()).toBe(1);
    expect(await cell('svg').locator('svg circle').count()).toBe(0);
    await expect.poll(() => cell('md').innerText()).toContain('Title');
    expect(await cell('plain').locator('.cell-outputs').innerText()).toContain('red');

    // Nothing ran in the app's page: no flag, the title intact, no javascript: link left anywhere in our DOM.
    await page.locator('[data-cell-id="html"] iframe').first().hover();
    for (const id of ['md', 'markdown-output']) {
      const links = cell(id).locator('a');
      for (let i = 0; i < (await links.count()); i++) expect(await links.nth(i).getAttribute('href')).not.toMatch(/^javascript:/i);
    }
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe('Cellmate');
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(foreign).toEqual([]);
    // Control: the same code run in the page does set the flag and the title, so the checks above can fail.
    await page.evaluate(PWN);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBe(1);
    expect(await page.title()).toBe('pwned');
    await page.close();
  });
});
