/**
 * Conversations and project rules in Chromium, against a real Cellmate and the fake model server: an old
 * notebook's conversation opens as the first one with its cost; the rules badge is off, `AGENTS.md` is shown in
 * the rules dialog and only its import makes the badge say rules are on (and the model get them); a new
 * conversation starts empty, is renamed, and switching back shows the first one's turns, also after a reload;
 * "What was sent" shows the system prompt with the rules exactly as the model received it. The price table's
 * dialog says the defaults are dated and a model without a price gets no cost; an edited table, saved, prices them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationEntry } from '../../server/protocol/agent.ts';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { launchChromium, WAIT } from '../helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { messageText, reply, startFakeOpenAI, type FakeOpenAIServer } from '../llm/fake-openai-server.ts';

let model: FakeOpenAIServer;
let cellmate: TestCellmate;
let browser: Browser;

beforeAll(async () => {
  model = await startFakeOpenAI({ script: [reply.text('Answer two.', { usage: { prompt_tokens: 400, completion_tokens: 20 } })] });
  const provider = providerConfigFromEnv({ OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'test-key', CELLMATE_MODEL: 'fake-model' });
  [cellmate, browser] = await Promise.all([startTestCellmate({ provider, kernels: { poolSize: 0 } }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await cellmate?.cleanup();
  await model?.close();
});

const OLD: ConversationEntry[] = [
  { kind: 'user', turn: 't-0000aaaa', text: 'Old question' },
  { kind: 'assistant', turn: 't-0000aaaa', text: 'Old answer.', model: 'gpt-4o' },
  { kind: 'turn_end', turn: 't-0000aaaa', usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 }, cells_changed: [] },
];
const AGENTS = 'Use pandas, and name every chart.';

const conversation = (page: Page) => page.getByRole('combobox', { name: 'Conversation' });
const selectedTitle = (page: Page) => conversation(page).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? '');
const prompts = (page: Page) => page.locator('[data-turn-id] .agent-prompt').allTextContents();
const rulesBadge = (page: Page) => page.getByRole('button', { name: 'Project rules' });

describe('conversations and rules in the panel', () => {
  it('switches conversations, imports AGENTS.md only on a click, and shows what was sent', async () => {
    const put = await cellmate.api('/api/notebooks/talk.ipynb', {
      method: 'PUT',
      body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { cellmate: { conversation: OLD } }, cells: [] }),
    });
    expect(put.status).toBe(201);
    await writeFile(join(cellmate.workspace, 'AGENTS.md'), AGENTS);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${cellmate.url}/notebooks/talk.ipynb?token=${cellmate.token}`);

    // The old notebook's conversation is the first one, priced from the default table (gpt-4o).
    await expect.poll(() => selectedTitle(page), WAIT).toBe('Old question');
    await expect.poll(() => prompts(page), WAIT).toEqual(['Old question']);
    await expect.poll(() => page.locator('.agent-totals[data-scope="conversation"]').textContent(), WAIT).toBe('1,100 tokens · $0.0035');

    // Rules: off; AGENTS.md shown, imported by the person's click and Save.
    await expect.poll(() => rulesBadge(page).getAttribute('data-rules'), WAIT).toBe('off');
    await rulesBadge(page).click();
    const dialog = page.getByRole('dialog', { name: 'Project rules' });
    await expect.poll(() => dialog.locator('.agent-rules-offer-text').textContent(), WAIT).toBe(AGENTS);
    await dialog.getByRole('button', { name: 'Import AGENTS.md' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Rules' }).inputValue()).toBe(AGENTS);
    await dialog.getByRole('button', { name: 'Save rules' }).click();
    await expect.poll(() => rulesBadge(page).getAttribute('data-rules'), WAIT).toBe('on');
    expect(await (await cellmate.api('/api/agent/rules')).json()).toMatchObject({ text: AGENTS });

    // A new conversation: empty, its own history; renamed.
    await page.getByRole('button', { name: 'New conversation' }).click();
    await expect.poll(() => selectedTitle(page), WAIT).toBe('New conversation');
    await expect.poll(() => prompts(page), WAIT).toEqual([]);
    const box = page.getByRole('textbox', { name: 'Ask the assistant' });
    await box.fill('Second question');
    await box.press('Enter');
    await expect.poll(() => page.locator('[data-turn-id]').last().getAttribute('data-turn-state'), WAIT).toBe('done');
    const sent = model.chatRequests.at(-1)!;
    expect(messageText(sent.messages[0]!)).toContain(AGENTS);
    expect(sent.messages.slice(1).map(messageText).join('\n')).not.toContain('Old question');
    await page.getByRole('button', { name: 'Rename conversation' }).click();
    await page.getByRole('dialog', { name: 'Rename conversation' }).getByRole('textbox').fill('Charts');
    await page.getByRole('dialog', { name: 'Rename conversation' }).getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => selectedTitle(page), WAIT).toBe('Charts');

    // Back to the first, and still there after a reload.
    const firstId = await conversation(page).evaluate((select: HTMLSelectElement) => select.options[0]!.value);
    await conversation(page).selectOption(firstId);
    await expect.poll(() => prompts(page), WAIT).toEqual(['Old question']);
    await page.reload();
    await expect.poll(() => selectedTitle(page), WAIT).toBe('Old question');
    await expect.poll(() => prompts(page), WAIT).toEqual(['Old question']);
    expect(await conversation(page).locator('option').allTextContents()).toEqual(['Old question', 'Charts']);
    await expect.poll(() => page.locator('.agent-totals[data-scope="notebook"]').textContent(), WAIT).toBe('1,520 tokens · ≥ $0.0035 (1 turn unpriced)');

    // What was sent: the system prompt with the rules, exactly as the model got it.
    const chartsId = await conversation(page).evaluate((select: HTMLSelectElement) => select.options[1]!.value);
    await conversation(page).selectOption(chartsId);
    await expect.poll(() => prompts(page), WAIT).toEqual(['Second question']);
    await page.getByRole('button', { name: 'What was sent' }).click();
    const view = page.getByRole('dialog', { name: 'What was sent' });
    await expect.poll(() => view.locator('.agent-sent-message[data-role="system"] .agent-sent-text').textContent(), WAIT).toBe(messageText(sent.messages[0]!));
    expect(await view.locator('.agent-sent-message[data-role="user"] .agent-sent-text').first().textContent()).toBe(messageText(sent.messages[1]!));
    expect(await view.locator('.agent-sent-request').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('says the prices are dated defaults, unpriced models get no cost, and saving an edited table prices them', async () => {
    const turnOf = (turn: string, model: string, prompt: number): ConversationEntry[] => [
      { kind: 'user', turn, text: `Question ${turn}` },
      { kind: 'turn_end', turn, model, usage: { prompt_tokens: prompt, completion_tokens: 0, total_tokens: prompt }, cells_changed: [] },
    ];
    const put = await cellmate.api('/api/notebooks/priced.ipynb', {
      method: 'PUT',
      body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { cellmate: { conversation: [...turnOf('t-0000bbbb', 'gpt-4o', 1000), ...turnOf('t-0000cccc', 'local-llm', 500)] } }, cells: [] }),
    });
    expect(put.status).toBe(201);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${cellmate.url}/notebooks/priced.ipynb?token=${cellmate.token}`);
    const totals = page.locator('.agent-totals[data-scope="conversation"]');
    await expect.poll(() => totals.textContent(), WAIT).toBe('1,500 tokens · ≥ $0.0025 (1 turn unpriced)');

    await page.getByRole('button', { name: 'Prices' }).click();
    const dialog = page.getByRole('dialog', { name: 'Prices' });
    const source = dialog.locator('.agent-prices-source');
    await expect.poll(() => source.getAttribute('data-source'), WAIT).toBe('defaults');
    expect(await source.textContent()).toContain("OpenAI's list prices as of April 2025");
    expect(await dialog.textContent()).toContain('A model not in this table gets no cost');
    expect(await dialog.locator('.agent-prices-table tbody td:first-child').allTextContents()).toEqual(['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o3-mini', 'o4-mini']);

    // Not JSON: refused in the dialog, nothing written.
    const editor = dialog.getByRole('textbox', { name: 'Price table' });
    await editor.fill('{ "currency": ');
    await dialog.getByRole('button', { name: 'Save prices' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), WAIT).toContain('Not a price table');
    expect(await (await cellmate.api('/api/agent/prices')).json()).toMatchObject({ source: 'defaults' });

    const table = { currency: 'USD', as_of: '2026-12-01', models: { 'gpt-4o': { input_per_million: 2.5, output_per_million: 10 }, 'local-llm': { input_per_million: 1, output_per_million: 1 } } };
    await editor.fill(JSON.stringify(table));
    await dialog.getByRole('button', { name: 'Save prices' }).click();
    await expect.poll(() => dialog.count(), WAIT).toBe(0);
    await expect.poll(() => totals.textContent(), WAIT).toBe('1,500 tokens · $0.0030');
    expect(await (await cellmate.api('/api/agent/prices')).json()).toEqual({ source: 'file', table });
    await page.getByRole('button', { name: 'Prices' }).click();
    await expect.poll(() => source.textContent(), WAIT).toBe('From .cellmate/prices.json, prices as of 1 December 2026.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
