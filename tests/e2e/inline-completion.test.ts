/**
 * Ghost text in Chromium, with Cellmate talking to the fake model server's fill-in-the-middle endpoint: off by
 * default (a page never asks), turned on in the assistant panel; a pause in typing shows the model's suggestion
 * after the cursor, the next keystroke drops it and cancels the model request in flight, Tab takes it as typing
 * (it reaches the server), Escape dismisses it, a suggestion with markup stays text, and Tab without a suggestion
 * is still the kernel's completion.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { launchChromium, WAIT } from '../helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { enc, notebookWithCells } from '../helpers/notebook-socket.ts';
import { reply, startFakeOpenAI, type CompletionRequest, type FakeOpenAIServer, type Reply } from '../llm/fake-openai-server.ts';

const KEY = 'sk-cellmate-ghost-secret-8080';
const HOSTILE = '"<img src=x onerror=alert(1)>"';
let fake: FakeOpenAIServer;
let cellmate: TestCellmate;
let browser: Browser;
/** Whether the hanging request's connection was closed when the next request reached the model server. */
let wasCancelledBeforeNext: boolean | undefined;

/** The model's answer, by what comes before the cursor. */
function answer(request: CompletionRequest): Reply {
  const { prompt } = request;
  if (prompt.endsWith('return ')) return reply.text('math.pi * r ** 2');
  if (prompt.endsWith('return m')) return reply.hang();
  if (prompt.endsWith('return ma')) {
    // This request is the last one recorded, the hanging one the one before.
    wasCancelledBeforeNext = fake.requests.filter((recorded) => recorded.path === '/v1/completions').at(-2)?.aborted;
    return reply.text('th.pi * r ** 2');
  }
  if (prompt.endsWith('s = ')) return reply.text(HOSTILE);
  return reply.text('');
}

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, completions: Array.from({ length: 40 }, () => answer) });
  const provider = providerConfigFromEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL, CELLMATE_MODEL: 'fake-model', CELLMATE_LLM_MAX_RETRIES: '0' });
  [cellmate, browser] = await Promise.all([startTestCellmate({ provider }, { localModelServers: [] }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await cellmate?.cleanup();
  await fake?.close();
});

async function open(path: string): Promise<{ page: Page; asked: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const asked: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/inline-complete')) asked.push(request.postData() ?? '');
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${cellmate.url}/notebooks/${enc(path)}?token=${cellmate.token}`);
  return { page, asked, errors };
}

const editorOf = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"] .cell-editor`);
const ghost = (page: Page) => page.locator('.cm-ghost-text');

function editorText(page: Page, id: string): Promise<string> {
  return page.locator(`[data-cell-id="${id}"] .cm-content`).evaluate((content) =>
    Array.from(content.querySelectorAll(':scope > .cm-line'), (line) => {
      // The line's own text, without the ghost text shown in it.
      const copy = line.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.cm-ghost-text').forEach((widget) => widget.remove());
      return copy.textContent ?? '';
    }).join('\n'),
  );
}

const serverSource = async (path: string, id: string) => (await cellmate.sessions.open(path)).doc().cells.find((cell) => cell.id === id)?.source;

describe('inline completion in the editor', () => {
  it('is off by default; turned on, it shows, replaces, cancels, accepts and dismisses ghost text', async () => {
    expect(await (await cellmate.api('/api/agent/inline-completion')).json()).toEqual({ mode: 'off' });

    // A page that read the setting while it was off never asks, however long the pause after typing.
    const [quiet] = await notebookWithCells(cellmate, 'quiet.ipynb', ['']);
    const idle = await open('quiet.ipynb');
    await editorOf(idle.page, quiet!).click();
    await idle.page.keyboard.type('total = ');
    await expect.poll(() => serverSource('quiet.ipynb', quiet!), WAIT).toBe('total = ');

    const [, target] = await notebookWithCells(cellmate, 'ghost.ipynb', ['import math', '']);
    const { page, asked, errors } = await open('ghost.ipynb');
    const picker = page.getByRole('combobox', { name: 'Inline completion' });
    await expect.poll(() => picker.inputValue(), WAIT).toBe('off');
    await picker.selectOption('fim');
    await expect.poll(async () => (await cellmate.api('/api/agent/inline-completion')).json(), WAIT).toEqual({ mode: 'fim' });

    await editorOf(page, target!).click();
    await page.keyboard.type('def area(r):');
    await page.keyboard.press('Enter');
    await page.keyboard.type('return ');
    await expect.poll(() => ghost(page).textContent(), WAIT).toBe('math.pi * r ** 2');
    expect(await editorText(page, target!)).toBe('def area(r):\n    return ');
    const first = fake.completionRequests.find((request) => request.prompt.endsWith('return '))!;
    expect(first).toMatchObject({ prompt: 'import math\n\ndef area(r):\n    return ', suffix: '' });
    // The page that had it off asked nothing while this one waited for its suggestion.
    expect(idle.asked).toEqual([]);
    expect(fake.completionRequests.some((request) => request.prompt.includes('total = '))).toBe(false);

    // A keystroke drops the suggestion at once; the next request hangs at the model until another keystroke
    // cancels it there, and the suggestion for the new text replaces it.
    const before = fake.completionRequests.length;
    await page.keyboard.type('m');
    await expect.poll(() => ghost(page).count()).toBe(0);
    await expect.poll(() => fake.completionRequests.length, WAIT).toBe(before + 1);
    const hanging = fake.requests.filter((request) => request.path === '/v1/completions').at(-1)!;
    expect(hanging.aborted).toBe(false);
    await page.keyboard.type('a');
    await expect.poll(() => ghost(page).textContent(), WAIT).toBe('th.pi * r ** 2');
    // Cancelled by the keystroke (300 ms before the next request), not by a timeout.
    expect(wasCancelledBeforeNext).toBe(true);
    expect(hanging.aborted).toBe(true);

    // Tab takes it, as typing: the server has it.
    await page.keyboard.press('Tab');
    await expect.poll(() => editorText(page, target!), WAIT).toBe('def area(r):\n    return math.pi * r ** 2');
    expect(await ghost(page).count()).toBe(0);
    expect(await page.locator('.cm-tooltip-autocomplete').count()).toBe(0);
    await expect.poll(() => serverSource('ghost.ipynb', target!), WAIT).toBe('def area(r):\n    return math.pi * r ** 2');

    // A suggestion with markup is text; Escape dismisses it and stays in the cell, a second Escape leaves it.
    const top = (await cellmate.sessions.open('ghost.ipynb')).doc().cells[0]!.id;
    await editorOf(page, top).click();
    await page.keyboard.type('s = ');
    await expect.poll(() => ghost(page).textContent(), WAIT).toBe(HOSTILE);
    expect(await ghost(page).locator('img').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => ghost(page).count()).toBe(0);
    expect(await page.locator(`[data-cell-id="${top}"]`).getAttribute('class')).toContain('is-editing');
    expect(await editorText(page, top)).toBe('s = ');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(`[data-cell-id="${top}"]`).getAttribute('class')).not.toContain('is-editing');

    // The model's key never reached the page.
    expect(asked.length).toBeGreaterThan(0);
    expect(await page.content()).not.toContain(KEY);
    expect(errors).toEqual([]);
    await Promise.all([page.close(), idle.page.close()]);
  });

  it('leaves Tab to the kernel when no suggestion is shown', async () => {
    const [cell] = await notebookWithCells(cellmate, 'kernel-tab.ipynb', ['']);
    const { page } = await open('kernel-tab.ipynb');
    // Completions come only from a running kernel; the tab starts one.
    await expect.poll(() => page.locator('[data-kernel-state]').getAttribute('data-kernel-state'), { timeout: 60_000 }).toBe('idle');
    expect(await page.getByRole('combobox', { name: 'Inline completion' }).inputValue()).toBe('fim');
    await editorOf(page, cell!).click();
    await page.keyboard.type('import o');
    // The model has nothing here (an empty answer shows no ghost text).
    await expect.poll(() => fake.completionRequests.some((request) => request.prompt.endsWith('import o')), WAIT).toBe(true);
    await page.keyboard.press('Tab');
    const options = page.locator('.cm-tooltip-autocomplete [role="option"] .cm-completionLabel');
    await expect.poll(() => options.allInnerTexts(), WAIT).toContain('os');
    expect(await ghost(page).count()).toBe(0);
    await page.close();
  });
});
