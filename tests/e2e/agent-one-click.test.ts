/**
 * One-click assistant actions and context by name in Chromium, with the fake model server as the model and a
 * real kernel: Fix on a failing cell shows a diff, accepting it runs the cell; Explain leaves the notebook as it
 * was; `@` in the prompt makes a chip, and a removed chip is not sent (read from the request the model got).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { launchChromium, WAIT } from '../helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { messageText, reply, startFakeOpenAI, type ChatRequest, type FakeOpenAIServer } from '../llm/fake-openai-server.ts';

let fake: FakeOpenAIServer;
let cm: TestCellmate;
let browser: Browser;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: 'test-key' });
  const provider = providerConfigFromEnv({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURL, CELLMATE_MODEL: 'fake-model', CELLMATE_LLM_MAX_RETRIES: '0' });
  [cm, browser] = await Promise.all([startTestCellmate({ provider }, { localModelServers: [] }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await cm?.cleanup();
  await fake?.close();
});

/** A notebook of code cells, run once through the API (so a failing one shows its error). */
async function ranNotebook(path: string, sources: string[]): Promise<void> {
  const cells = sources.map((source, i) => ({ cell_type: 'code', id: `cell-${i + 1}`, metadata: {}, source, outputs: [], execution_count: null }));
  await writeFile(join(cm.workspace, path), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  const ran = await cm.api(`/api/notebooks/${path}/execute`, { method: 'POST', body: JSON.stringify({ all: true }) });
  expect(ran.status).toBe(200);
}
async function openPage(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${cm.url}/notebooks/${path}?token=${cm.token}`);
  await page.getByRole('textbox', { name: 'Ask the assistant' }).waitFor(WAIT);
  await expect.poll(() => page.getByRole('textbox', { name: 'Ask the assistant' }).isEnabled(), WAIT).toBe(true);
  return { page, errors };
}
const cellAt = (page: Page, n: number) => page.locator(`article.cell[aria-posinset="${n}"]`);
const lastTurn = (page: Page) => page.locator('[data-turn-id]').last();
const firstUserText = (request: ChatRequest | undefined) => messageText(request!.messages.find((m) => m.role === 'user')!);
const cellsOf = async (path: string) => (await (await cm.api(`/api/notebooks/${path}`)).json()).cells;

describe('one click', () => {
  it('Fix: the proposal shows as a diff, and accepting it runs the cell', async () => {
    await ranNotebook('fix.ipynb', ['nums = [1, 2, 3]', 'print(sum(numz))']);
    const { page, errors } = await openPage('fix.ipynb');
    await expect.poll(() => cellAt(page, 2).locator('.cell-outputs').innerText(), WAIT).toContain('NameError');
    expect(await cellAt(page, 1).getByRole('button', { name: 'Fix cell' }).count()).toBe(0);

    fake.push(reply.tools({ name: 'propose_fix', arguments: { source: 'print(sum(nums))' } }), reply.text('A typo: numz for nums.'));
    await cellAt(page, 2).getByRole('button', { name: 'Fix cell' }).click();
    const review = cellAt(page, 2).locator('.cell-review[data-review="fix"]');
    await review.waitFor(WAIT);
    await cellAt(page, 2).locator('.cm-deletedChunk').waitFor(WAIT);
    expect(await cellAt(page, 2).locator('.cm-deletedChunk').innerText()).toContain('numz');
    await expect.poll(() => lastTurn(page).getAttribute('data-turn-state'), WAIT).toBe('done');
    expect(firstUserText(fake.chatRequests.at(-2))).toMatch(/^Fix cell 2\n\nTask: fix cell 2[\s\S]*NameError[\s\S]*The kernel's other variables: nums \(list\)/);
    // Proposed, not run yet.
    expect(await cellAt(page, 2).locator('.cell-outputs').innerText()).toContain('NameError');

    await review.getByRole('button', { name: 'Accept change' }).click();
    await expect.poll(async () => (await cellAt(page, 2).locator('.cell-outputs').innerText()).trim(), WAIT).toBe('6');
    expect(await review.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Explain: the answer is in the panel and the notebook stays as it was', async () => {
    await ranNotebook('explain.ipynb', ['x = 41 + 1\nx']);
    const before = await cellsOf('explain.ipynb');
    const { page, errors } = await openPage('explain.ipynb');
    fake.push(reply.tools({ name: 'edit_cell', arguments: { id: 'cell-1', source: 'x = 0' } }), reply.text('It adds 41 and 1, which shows 42.'));
    await cellAt(page, 1).getByRole('button', { name: 'Explain cell' }).click();
    await expect.poll(() => lastTurn(page).getAttribute('data-turn-state'), WAIT).toBe('done');
    expect(await lastTurn(page).locator('.agent-reply').last().innerText()).toContain('which shows 42');
    expect(await lastTurn(page).locator('.agent-prompt').innerText()).toBe('Explain cell 1');
    expect(await cellsOf('explain.ipynb')).toEqual(before);
    expect(await page.locator('.cell-review').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('@ in the prompt', () => {
  it('attaches a file and a cell as chips; a removed chip is not sent', async () => {
    await writeFile(join(cm.workspace, 'visits.csv'), 'day,visits\nmon,10\ntue,12\n');
    await ranNotebook('mention.ipynb', ['y = 2']);
    const { page, errors } = await openPage('mention.ipynb');
    const box = page.getByRole('textbox', { name: 'Ask the assistant' });
    await box.pressSequentially('Compare @visi');
    const options = page.getByRole('listbox', { name: 'Attach' }).getByRole('option');
    await expect.poll(() => options.first().innerText(), WAIT).toContain('visits.csv');
    await box.press('Enter');
    await box.pressSequentially('with @1');
    await expect.poll(() => options.first().innerText(), WAIT).toContain('cell 1');
    await box.press('Tab');
    const chips = page.getByRole('list', { name: 'Attached to the prompt' }).locator('.agent-chip');
    expect((await chips.allInnerTexts()).map((t) => t.replace(/\s*×$/, ''))).toEqual(['visits.csv', 'cell 1']);
    expect(await box.inputValue()).toBe('Compare with ');

    await page.getByRole('button', { name: 'Remove cell 1' }).click();
    fake.push(reply.text('Tuesday had more.'));
    await box.press('Enter');
    await expect.poll(() => lastTurn(page).getAttribute('data-turn-state'), WAIT).toBe('done');
    const sent = firstUserText(fake.chatRequests.at(-1));
    expect(sent).toMatch(/^Compare with\n\nAttached by the person \(visits\.csv\):[\s\S]*kind="file" name="visits.csv">\nCSV file, 25 B\. Header and first 2 rows:\nday,visits\nmon,10\ntue,12/);
    expect(sent).not.toContain('kind="cell"');
    await expect.poll(() => chips.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Ask about this puts the selected cells as chips', async () => {
    await ranNotebook('select.ipynb', ['a = 1', 'b = 2', 'c = 3']);
    const { page, errors } = await openPage('select.ipynb');
    await cellAt(page, 1).locator('.cell-prompt').click();
    await cellAt(page, 2).locator('.cell-prompt').click({ modifiers: ['Shift'] });
    await cellAt(page, 2).getByRole('button', { name: 'Ask about this' }).click();
    const chips = page.getByRole('list', { name: 'Attached to the prompt' }).locator('.agent-chip-label');
    await expect.poll(() => chips.allInnerTexts(), WAIT).toEqual(['cell 1', 'cell 2']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
