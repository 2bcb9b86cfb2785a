/**
 * The mission's first example, in the browser: "load sales.csv and chart revenue by month". The fake model
 * writes two cells; Cellmate runs them on a real kernel, the model is sent the data it loaded, and the chart
 * (altair → vega-lite) is drawn in the page.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from '../llm/fake-openai-server.ts';
import { addedCellId } from '../llm/harness.ts';

const LOAD = 'import pandas as pd\nsales = pd.read_csv("sales.csv", parse_dates=["date"])\nsales.head()';
const CHART = [
  'import altair as alt',
  'monthly = sales.groupby(sales["date"].dt.strftime("%Y-%m"))["revenue"].sum().reset_index()',
  'alt.Chart(monthly).mark_bar().encode(x=alt.X("date:O", title="month"), y=alt.Y("revenue:Q", title="revenue"))',
].join('\n');
const CSV = ['date,region,revenue', '2026-01-05,north,120', '2026-01-20,south,80', '2026-02-03,north,135', '2026-03-14,south,160', '2026-03-28,north,40'].join('\n');

let browser: Browser;
let model: FakeOpenAIServer;
let cellmate: TestCellmate;

beforeAll(async () => {
  model = await startFakeOpenAI({
    script: [
      reply.textAndTools('First I will load the file.', { name: 'add_cell', arguments: { source: LOAD, cell_type: 'code', after_cell_id: null } }),
      (request) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(request) } }),
      reply.tools({ name: 'add_cell', arguments: { source: CHART, cell_type: 'code', after_cell_id: null } }),
      (request) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(request) } }),
      reply.text('Revenue by month: January 200, February 135, March 200.'),
    ],
  });
  [cellmate, browser] = await Promise.all([
    startTestCellmate({ provider: providerConfigFromEnv({ OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'test-key', CELLMATE_MODEL: 'fake-model' }) }),
    launchChromium(),
  ]);
  await mkdir('test-results', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await cellmate?.cleanup();
  await model?.close();
});

describe('a chart asked for in plain words', () => {
  it('loads the uploaded CSV, draws the chart in the page, and the model saw the data', async () => {
    expect((await cellmate.api('/api/files/sales.csv', { method: 'PUT', body: CSV, headers: { 'content-type': 'text/csv' } })).ok).toBe(true);
    expect((await cellmate.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path: 'sales.ipynb' }) })).ok).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${cellmate.url}/notebooks/sales.ipynb?token=${cellmate.token}`);
    const prompt = page.getByRole('textbox', { name: 'Ask the assistant' });
    await prompt.fill('load sales.csv and chart revenue by month');
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled(), { timeout: 20_000 }).toBe(true);
    await prompt.press('Enter');

    const turn = page.locator('[data-turn-id]').last();
    await expect.poll(() => turn.getAttribute('data-turn-state'), { timeout: 90_000 }).toBe('done');
    const agentCells = page.locator('article.cell:has(.cell-agent-badge)');
    expect(await agentCells.count()).toBe(2);
    // The DataFrame is shown in its sandboxed frame, the chart drawn by vega-embed.
    expect(await agentCells.nth(0).locator('.cell-outputs iframe').count()).toBe(1);
    await expect.poll(() => agentCells.nth(1).locator('.cell-outputs svg, .cell-outputs canvas').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await turn.locator('.agent-reply').last().innerText()).toContain('Revenue by month');

    // What the model was sent after the first run: the loaded rows, as text.
    const afterLoad = JSON.stringify(model.chatRequests[2]?.messages ?? []);
    expect(afterLoad).toContain('revenue');
    expect(afterLoad).toContain('north');
    // After the chart: a short description of the vega-lite spec, not the whole spec.
    const afterChart = JSON.stringify(model.chatRequests[4]?.messages.at(-1) ?? {});
    expect(afterChart).toMatch(/vega-lite/i);
    expect(afterChart).toMatch(/bar/);

    const saved = await (await cellmate.api('/api/notebooks/sales.ipynb')).json();
    const chartCell = saved.cells.find((cell: { source: string | string[] }) => [cell.source].flat().join('').includes('alt.Chart'));
    expect(Object.keys(chartCell.outputs[0].data)).toContain('application/vnd.vegalite.v4+json');
    await page.screenshot({ path: 'test-results/e2e-agent-chart.png' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
