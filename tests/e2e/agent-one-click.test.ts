/**
 * One-click assistant actions and context by name in Chromium, with the fake model server as the model and a
 * real kernel: Fix on a failing cell (from its toolbar or from the error itself) shows a diff, accepting it runs
 * the cell; Explain (on a cell, an error or an output) leaves the notebook as it was; `@` in the prompt makes a chip, and a removed chip is not sent (read from the request the model got).
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
async function openPage(path: string, viewport = { width: 1400, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
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
/** The prompt of the turn a request is for (earlier turns of the conversation come before it). */
const lastUserText = (request: ChatRequest | undefined) => messageText(request!.messages.findLast((m) => m.role === 'user')!);
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

  it('Fix and Explain on the error itself, shown without hovering, and Explain on an output; the toolbar keeps its width', async () => {
    await ranNotebook('fix-output.ipynb', ['nums = [1, 2, 3]\nnums', 'print(sum(numz))']);
    const before = await cellsOf('fix-output.ipynb');
    // The laptop width the page is laid out for, with the assistant's panel open.
    const { page, errors } = await openPage('fix-output.ipynb', { width: 1280, height: 800 });
    await expect.poll(() => cellAt(page, 2).locator('.cell-outputs').innerText(), WAIT).toContain('NameError');
    await page.mouse.move(0, 0);
    const onError = cellAt(page, 2).getByRole('group', { name: 'Error actions' });
    // Seen as it is: the error's actions are not faded out the way the toolbar of a cell not hovered is.
    const shownOpacity = (selector: string) =>
      cellAt(page, 2).locator(selector).evaluate((element) => {
        let opacity = 1;
        for (let node: Element | null = element; node; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity);
        return opacity;
      });
    expect(await cellAt(page, 2).getAttribute('class')).not.toContain('is-selected');
    expect(await shownOpacity('.error-actions')).toBe(1);
    expect(await shownOpacity('.cell-toolbar')).toBe(0);
    expect(await cellAt(page, 1).getByRole('group', { name: 'Error actions' }).count()).toBe(0);
    expect(await cellAt(page, 2).getByRole('button', { name: 'Explain output' }).count()).toBe(0);

    // Explain on an output without an error: in the outputs' corner once the pointer is on them.
    fake.push(reply.text('It shows the list nums.'));
    await cellAt(page, 1).locator('.cell-outputs').hover();
    await cellAt(page, 1).getByRole('button', { name: 'Explain output' }).click();
    await expect.poll(() => lastTurn(page).locator('.agent-prompt').innerText(), WAIT).toBe('Explain the output of cell 1');
    await expect.poll(() => lastTurn(page).getAttribute('data-turn-state'), WAIT).toBe('done');
    expect(firstUserText(fake.chatRequests.at(-1))).toMatch(/^Explain the output of cell 1\n\nTask: explain cell 1/);

    fake.push(reply.text('numz is not defined: a typo of nums.'));
    await onError.getByRole('button', { name: 'Explain this error' }).click();
    await expect.poll(() => lastTurn(page).locator('.agent-prompt').innerText(), WAIT).toBe('Explain the error in cell 2');
    await expect.poll(() => lastTurn(page).getAttribute('data-turn-state'), WAIT).toBe('done');
    expect(await lastTurn(page).locator('.agent-reply').last().innerText()).toContain('a typo of nums');
    expect(lastUserText(fake.chatRequests.at(-1))).toMatch(/^Explain the error in cell 2\n\nTask: explain cell 2[\s\S]*NameError/);
    expect(await cellsOf('fix-output.ipynb')).toEqual(before);

    // The toolbar (with its own Fix) still fits in the cell at this width.
    await cellAt(page, 2).locator('.cell-prompt').hover();
    await expect.poll(() => shownOpacity('.cell-toolbar'), WAIT).toBe(1);
    const cellBox = (await cellAt(page, 2).boundingBox())!;
    const toolbarBox = (await cellAt(page, 2).locator('.cell-toolbar').boundingBox())!;
    expect(toolbarBox.x).toBeGreaterThanOrEqual(cellBox.x);
    expect(toolbarBox.x + toolbarBox.width).toBeLessThanOrEqual(cellBox.x + cellBox.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);

    fake.push(reply.tools({ name: 'propose_fix', arguments: { source: 'print(sum(nums))' } }), reply.text('A typo: numz for nums.'));
    await page.mouse.move(0, 0);
    await onError.getByRole('button', { name: 'Fix this error' }).click();
    const review = cellAt(page, 2).locator('.cell-review[data-review="fix"]');
    await review.waitFor(WAIT);
    await cellAt(page, 2).locator('.cm-deletedChunk').waitFor(WAIT);
    expect(await cellAt(page, 2).locator('.cm-deletedChunk').innerText()).toContain('numz');
    await expect.poll(() => lastTurn(page).getAttribute('data-turn-state'), WAIT).toBe('done');
    expect(await lastTurn(page).locator('.agent-prompt').innerText()).toBe('Fix cell 2');
    expect(lastUserText(fake.chatRequests.at(-2))).toMatch(/^Fix cell 2\n\nTask: fix cell 2[\s\S]*NameError/);
    await review.getByRole('button', { name: 'Accept change' }).click();
    await expect.poll(async () => (await cellAt(page, 2).locator('.cell-outputs').innerText()).trim(), WAIT).toBe('6');
    expect(await onError.count()).toBe(0);
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
  it('attaches a file and a cell as chips; a removed chip is not sent; the turn shows what was sent, after a reload too', async () => {
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
    // The sent turn shows what was attached, by name, and keeps it across a reload (the conversation is in the notebook).
    const attachedToTurn = () => lastTurn(page).getByRole('list', { name: 'Attached' }).locator('.agent-chip-label').allInnerTexts();
    await expect.poll(attachedToTurn, WAIT).toEqual(['visits.csv']);
    await page.reload();
    await expect.poll(() => lastTurn(page).locator('.agent-prompt').count(), WAIT).toBe(1);
    expect(await lastTurn(page).locator('.agent-prompt').innerText()).toBe('Compare with');
    await expect.poll(attachedToTurn, WAIT).toEqual(['visits.csv']);
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
