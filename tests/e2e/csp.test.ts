/**
 * The page's Content-Security-Policy (server/routes/page-security.ts) in force, with everything a notebook
 * shows: a DataFrame in its HTML frame (whose height script the policy allows by hash), a matplotlib PNG, an
 * altair chart (vega without eval), markdown, the assistant panel shut and open. Not one violation may happen,
 * in the page or in a frame, and each of these still works.
 */
import type { ConsoleMessage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../server/routes/page-security.ts';
import { useCellmateAndBrowser } from '../helpers/browser.ts';

const started = useCellmateAndBrowser({}, { localModelServers: [] });

/** Runs in every document, frames included: a violation becomes a console message the test collects. */
const REPORT_VIOLATIONS = `addEventListener('securitypolicyviolation', (e) => {
  console.error('csp-violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber);
}, true);`;

const code = (id: string, source: string) => ({ id, cell_type: 'code', metadata: {}, execution_count: null, source, outputs: [] });

const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    code('frame', 'import pandas as pd\npd.DataFrame({"month": ["Jan", "Feb", "Mar", "Apr"], "revenue": [200, 135, 200, 90]})'),
    code('png', 'import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()'),
    code('chart', 'import altair as alt\nimport pandas as pd\nalt.Chart(pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})).mark_bar().encode(x="a:N", y="b:Q")'),
    { id: 'md', cell_type: 'markdown', metadata: {}, source: '# Findings\nRevenue **rose**, see [the docs](https://example.com).' },
  ],
};

describe("the page's Content-Security-Policy", () => {
  it('is in force and nothing the app does violates it', async () => {
    expect((await started.cellmate.api('/api/notebooks/csp.ipynb', { method: 'PUT', body: JSON.stringify(notebook) })).status).toBe(201);
    const page = await started.browser.newPage({ viewport: { width: 1400, height: 1600 } });
    await page.addInitScript(REPORT_VIOLATIONS);
    const problems: string[] = [];
    page.on('console', (message: ConsoleMessage) => {
      if (/csp-violation|Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    const response = await page.goto(`${started.cellmate.url}/notebooks/csp.ipynb?token=${started.cellmate.token}`);
    expect(response?.headers()['content-security-policy']).toBe(PAGE_CSP);
    const cell = (id: string) => page.locator(`[data-cell-id="${id}"]`);
    await expect.poll(() => cell('md').innerText(), { timeout: 20_000 }).toContain('Findings');

    // Outputs arrive over the notebook's WebSocket while the page is open.
    const run = await started.cellmate.api('/api/notebooks/csp.ipynb/execute', { method: 'POST', body: JSON.stringify({ all: true }) });
    const { cells } = (await run.json()) as { cells: { id: string; status: string }[] };
    expect(cells.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);

    // The DataFrame's frame reports its height: taller than the 24 px a frame has before it does.
    await expect.poll(async () => (await cell('frame').locator('iframe.output-html').boundingBox())?.height ?? 0, { timeout: 30_000 }).toBeGreaterThan(60);
    // The PNG is loaded from its data: URL.
    const png = cell('png').locator('.cell-outputs img');
    await expect.poll(() => png.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    // The chart is drawn on a canvas that has something on it.
    const canvas = cell('chart').locator('.cell-outputs canvas');
    await expect.poll(() => canvas.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const painted = await canvas.first().evaluate((element: HTMLCanvasElement) => {
      const pixels = element.getContext('2d')?.getImageData(0, 0, element.width, element.height).data ?? [];
      return Array.from(pixels).some((value, i) => i % 4 === 3 && value > 0);
    });
    expect(painted).toBe(true);
    expect(await cell('chart').locator('.output-warning').count()).toBe(0);

    // The assistant panel, shut and open again.
    const open = page.getByRole('button', { name: 'Open assistant' });
    if (await open.isVisible()) await open.click();
    await expect.poll(() => page.locator('[data-panel="agent"]').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Hide assistant' }).click();
    await expect.poll(() => open.isVisible()).toBe(true);
    await open.click();
    await expect.poll(() => page.locator('[data-panel="agent"]').isVisible()).toBe(true);

    // A reload, for the page's own start-up once more with the outputs already there.
    await page.reload();
    await expect.poll(async () => (await cell('frame').locator('iframe.output-html').boundingBox())?.height ?? 0, { timeout: 30_000 }).toBeGreaterThan(60);
    await expect.poll(() => cell('chart').locator('.cell-outputs canvas').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    // The listener works: a script the policy forbids is reported (so the empty list above means something).
    expect(problems).toEqual([]);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__ran = true';
      document.body.append(script);
    });
    await expect.poll(() => problems.some((p) => p.includes('csp-violation: script-src'))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
    await page.close();
  });
});
