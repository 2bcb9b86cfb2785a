/**
 * The assistant in the browser.
 * - "with a fake model": the whole chain, as a person uses it — Cellmate talks to the fake OpenAI-compatible
 *   server from tests/llm; a prompt typed in the panel makes a cell appear (badged AI), run, show its output, and
 *   the reply appear with its usage; a reload keeps the conversation.
 * - "with a scripted assistant": the panel's own behaviour, the assistant's socket frames and REST answers played
 *   by the test (Playwright sits between the page and the real server): saved conversation, live steps, Stop,
 *   Undo, the review diff, the model picker, setup without a model, and a reply that tries to run script.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page, Route, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent, ConversationEntry } from '../../server/protocol/agent.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from '../llm/fake-openai-server.ts';
import { addedCellId } from '../llm/harness.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir('test-results', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

const panel = (page: Page) => page.locator('[data-panel="agent"]');
const promptBox = (page: Page) => page.getByRole('textbox', { name: 'Ask the assistant' });
const turn = (page: Page, id?: string) => (id ? page.locator(`[data-turn-id="${id}"]`) : page.locator('[data-turn-id]').last());

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

describe('assistant with a fake model', () => {
  let model: FakeOpenAIServer;
  let cellmate: TestCellmate;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    model = await startFakeOpenAI({
      script: [
        reply.textAndTools('I will compute it in a cell.', { name: 'add_cell', arguments: { source: 'print(6 * 7)', cell_type: 'code', after_cell_id: null } }),
        (request) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(request) } }),
        reply.text('The answer is **42**.'),
        // The second test's turn: one step, then the model keeps the stream open until Stop.
        reply.textAndTools('Let me look.', { name: 'read_notebook', arguments: { cell_ids: null } }),
        reply.hang('Still reading'),
      ],
    });
    // The server reads its provider from the environment when it starts.
    const env = { OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'test-key', CELLMATE_MODEL: 'fake-model' };
    for (const [key, value] of Object.entries(env)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    cellmate = await startTestCellmate();
  });

  afterAll(async () => {
    await cellmate?.cleanup();
    await model?.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('writes a cell, runs it, answers, and keeps the conversation across a reload', async () => {
    expect(await (await cellmate.api('/api/agent/status')).json()).toMatchObject({ configured: true, model: 'fake-model' });

    const created = await cellmate.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path: 'ask.ipynb' }) });
    expect(created.ok).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${cellmate.url}/notebooks/ask.ipynb?token=${cellmate.token}`);
    await expect.poll(() => page.getByRole('combobox', { name: 'Model' }).inputValue(), { timeout: 20_000 }).toBe('fake-model');

    await promptBox(page).fill('What is 6 times 7?');
    await promptBox(page).press('Enter');

    const agentCell = page.locator('article.cell:has(.cell-agent-badge)');
    await expect.poll(() => agentCell.count(), { timeout: 30_000 }).toBe(1);
    expect(await agentCell.locator('.cell-agent-badge').getAttribute('title')).toMatch(/fake-model.*turn 1/);
    await expect.poll(() => agentCell.locator('.cell-outputs').innerText(), { timeout: 60_000 }).toContain('42');
    await expect.poll(() => turn(page).getAttribute('data-turn-state'), { timeout: 30_000 }).toBe('done');
    expect(await turn(page).locator('.agent-reply').last().innerText()).toContain('The answer is 42.');
    expect(await turn(page).locator('.agent-step[data-tool]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-tool')))).toEqual([
      'add_cell',
      'run_cell',
    ]);
    expect(await turn(page).locator('.agent-usage').innerText()).toMatch(/\d+ prompt · \d+ completion tokens/);
    expect(await promptBox(page).inputValue()).toBe('');
    expect(model.chatRequests[0]).toMatchObject({ model: 'fake-model' });

    await page.reload();
    await expect.poll(() => turn(page).locator('.agent-reply').last().innerText(), { timeout: 30_000 }).toContain('The answer is 42.');
    expect(await turn(page).locator('.agent-prompt').innerText()).toBe('What is 6 times 7?');
    expect(await turn(page).getAttribute('data-turn-state')).toBe('done');
    expect(await page.locator('.cell-agent-badge').count()).toBe(1);
    await page.screenshot({ path: 'test-results/e2e-agent.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a running turn to a tab opened mid-turn, stops it from there for every tab, and undoes a turn', async () => {
    const url = `${cellmate.url}/notebooks/ask.ipynb?token=${cellmate.token}`;
    const first = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(first);
    await first.goto(url);
    await promptBox(first).fill('Look at the notebook');
    await expect.poll(() => first.getByRole('button', { name: 'Send' }).isEnabled(), { timeout: 20_000 }).toBe(true);
    await promptBox(first).press('Enter');
    await expect.poll(() => turn(first).locator('.agent-reply').last().innerText(), { timeout: 30_000 }).toContain('Still reading');

    const second = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors.push(...watchErrors(second));
    await second.goto(url);
    await expect.poll(() => turn(second).getAttribute('data-turn-state'), { timeout: 20_000 }).toBe('running');
    expect(await turn(second).locator('.agent-prompt').innerText()).toBe('Look at the notebook');
    expect(await turn(second).locator('.agent-step[data-tool="read_notebook"]').getAttribute('data-status')).toBe('ok');
    expect(await turn(second).locator('.agent-reply').allInnerTexts()).toEqual(['Let me look.', 'Still reading']);

    await second.getByRole('button', { name: 'Stop' }).click();
    for (const page of [first, second]) await expect.poll(() => turn(page).getAttribute('data-turn-state'), { timeout: 20_000 }).toBe('stopped');
    // The model's stream was cut, not left to run (other requests list the models for the picker).
    await expect.poll(() => model.requests.filter((request) => request.path.endsWith('/chat/completions')).at(-1)?.aborted).toBe(true);
    expect(await turn(first).locator('.agent-stopped').innerText()).toBe('Stopped.');

    // Undo the first turn (its cell goes away, in both tabs); the conversation keeps both turns.
    const firstTurn = first.locator('[data-turn-id]').first();
    await firstTurn.getByRole('button', { name: 'Undo turn' }).click();
    for (const page of [first, second]) await expect.poll(() => page.locator('.cell-agent-badge').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => firstTurn.locator('.agent-undone').count()).toBe(1);
    expect(await second.locator('[data-turn-id]').count()).toBe(2);
    expect(errors).toEqual([]);
    await first.close();
    await second.close();
  });

  it('shows its edit of a person\'s cell as a diff, and Reject puts the person\'s code back', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${cellmate.url}/notebooks/ask.ipynb?token=${cellmate.token}`);
    const cell = page.locator('[data-cell-id]').first();
    const id = await cell.getAttribute('data-cell-id');
    await cell.locator('.cm-content').click();
    await page.keyboard.type('x = 1');
    // No wait needed: the socket delivers the typed edits before the prompt that follows them.
    model.push(reply.tools({ name: 'edit_cell', arguments: { id, source: 'x = 2' } }), reply.text('x is 2 now.'));

    await promptBox(page).fill('Make x two');
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled(), { timeout: 20_000 }).toBe(true);
    await promptBox(page).press('Enter');
    await cell.locator('.cell-review').waitFor({ timeout: 30_000 });
    await cell.locator('.cm-deletedChunk').waitFor();
    expect(await cell.locator('.cm-deletedChunk').innerText()).toContain('x = 1');
    expect(await cell.locator('.cell-agent-badge').count()).toBe(0);
    await expect.poll(() => turn(page).getAttribute('data-turn-state'), { timeout: 30_000 }).toBe('done');

    await cell.getByRole('button', { name: 'Reject change' }).click();
    await expect.poll(() => cell.locator('.cell-review').count(), { timeout: 20_000 }).toBe(0);
    expect(await cell.locator('.cm-content').innerText()).toBe('x = 1');
    expect(await cell.locator('.cm-deletedChunk').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

const usage = { prompt_tokens: 1200, completion_tokens: 34, total_tokens: 1234 };
const conversation: ConversationEntry[] = [
  { kind: 'user', turn: 't1', text: 'Add one to x' },
  { kind: 'assistant', turn: 't1', text: 'Done: `y` is `x + 1`.', model: 'fake-model' },
  { kind: 'tool', turn: 't1', name: 'add_cell', args: 'source="y = x + 1"', ok: true, summary: 'added cell agent1' },
  { kind: 'turn_end', turn: 't1', usage, cells_changed: ['agent1'] },
];
const notebookFile = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { cellmate: { conversation } },
  cells: [
    {
      id: 'person1',
      cell_type: 'code',
      source: 'x = 1\nprint(x)',
      metadata: { cellmate: { review: { previous_source: 'x = 0\nprint(x)', turn: 't1', model: 'fake-model' } } },
      outputs: [],
      execution_count: null,
    },
    { id: 'agent1', cell_type: 'code', source: 'y = x + 1', metadata: { cellmate: { author: 'agent', turn: 't1', model: 'fake-model' } }, outputs: [], execution_count: null },
  ],
};
const configured = { configured: true, base_url: 'http://127.0.0.1:9/v1', model: 'fake-model', has_api_key: true, vision: false, help: 'Using fake-model.' };

/** Answers the assistant's REST routes and stands in for its side of the socket; records what the page sends. */
async function scriptAssistant(page: Page, status: object) {
  const sent: { type: string; [key: string]: unknown }[] = [];
  const puts: unknown[] = [];
  let socket: WebSocketRoute | undefined;
  const json = (route: Route, body: unknown) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  await page.route('**/api/agent/status', (route) => json(route, status));
  await page.route('**/api/agent/models', (route) => json(route, { models: ['fake-model', 'other-model'] }));
  await page.route('**/api/agent/config', (route) => {
    puts.push(route.request().postDataJSON());
    return json(route, { ...configured, base_url: 'http://127.0.0.1:11434/v1', model: 'llama3.1' });
  });
  await page.routeWebSocket(/\/api\/notebooks\/.*\/ws/, (ws) => {
    socket = ws;
    const server = ws.connectToServer();
    server.onMessage((frame) => {
      const message = JSON.parse(String(frame));
      if (message.type === 'snapshot') message.agent = { undoable: ['t1'] };
      ws.send(JSON.stringify(message));
    });
    ws.onMessage((frame) => {
      const message = JSON.parse(String(frame));
      if (String(message.type).startsWith('agent_')) sent.push(message);
      else server.send(frame);
    });
  });
  const emit = (...events: AgentEvent[]) => {
    for (const event of events) socket?.send(JSON.stringify({ type: 'agent', event }));
  };
  const state = (agent: object) => socket?.send(JSON.stringify({ type: 'agent_state', agent }));
  return { sent, puts, emit, state };
}

describe('assistant panel with a scripted assistant', () => {
  let cellmate: TestCellmate;

  beforeAll(async () => {
    cellmate = await startTestCellmate();
    await writeFile(join(cellmate.workspace, 'scripted.ipynb'), JSON.stringify(notebookFile));
  });

  afterAll(async () => {
    await cellmate?.cleanup();
  });

  const open = async (page: Page) => {
    await page.goto(`${cellmate.url}/notebooks/scripted.ipynb?token=${cellmate.token}`);
    await page.locator('[data-cell-id="agent1"]').waitFor();
  };

  it('shows the saved turn, the badge and the review diff, and sends Accept, Undo, prompts and Stop', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    const assistant = await scriptAssistant(page, configured);
    await open(page);

    // What the notebook keeps: the saved turn, the agent cell's badge, the review of the person's cell.
    await expect.poll(() => turn(page, 't1').getAttribute('data-turn-state')).toBe('done');
    expect(await turn(page, 't1').locator('.agent-usage').innerText()).toBe('1,200 prompt · 34 completion tokens');
    expect(await turn(page, 't1').locator('.agent-step[data-tool="add_cell"]').innerText()).toContain('Added cell [2]');
    expect(await page.locator('[data-cell-id="agent1"] .cell-agent-badge').getAttribute('title')).toBe(
      'Written by the assistant with fake-model, turn 1',
    );
    expect(await page.locator('[data-cell-id="person1"] .cell-agent-badge').count()).toBe(0);
    const person = page.locator('[data-cell-id="person1"]');
    await person.locator('.cm-deletedChunk').waitFor();
    expect(await person.locator('.cm-deletedChunk').innerText()).toContain('x = 0');
    await person.getByRole('button', { name: 'Accept change' }).click();
    await page.getByRole('button', { name: 'Undo turn' }).click();
    await expect.poll(() => assistant.sent.slice(0, 2)).toEqual([
      { type: 'agent_review', cell_id: 'person1', decision: 'accept' },
      { type: 'agent_undo', turn: 't1' },
    ]);

    // A prompt: Shift+Enter is a new line, Enter sends with the chosen model.
    await page.getByRole('combobox', { name: 'Model' }).selectOption('other-model');
    await promptBox(page).click();
    await page.keyboard.type('Plot y');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('by x');
    await page.keyboard.press('Enter');
    await expect.poll(() => assistant.sent.at(-1)).toEqual({ type: 'agent_prompt', prompt: 'Plot y\nby x', model: 'other-model' });

    // The turn, live: text streams, a call shows while written, then runs; Stop ends it.
    const t2 = 't2';
    assistant.emit(
      { type: 'turn_start', turn: t2, model: 'other-model', prompt: 'Plot y\nby x' },
      { type: 'text_delta', turn: t2, text: 'Let me ' },
      { type: 'text_delta', turn: t2, text: 'run it. <img src=x onerror="window.__pwned=1"> [see](javascript:window.__pwned=2)' },
      { type: 'tool_call_delta', turn: t2, step: 1, index: 0, name: 'run_cell', arguments_delta: '{"id":"agent1"}' },
    );
    await expect.poll(() => turn(page, t2).locator('.agent-step[data-tool="run_cell"]').getAttribute('data-status')).toBe('writing');
    assistant.emit(
      { type: 'tool_call', turn: t2, call_id: 'c1', name: 'run_cell', args: { id: 'agent1' } },
      { type: 'usage', turn: t2, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
    );
    await expect.poll(() => turn(page, t2).locator('.agent-step').innerText()).toContain('Running cell [2]…');
    expect(await promptBox(page).inputValue()).toBe('');
    expect(await turn(page, t2).getAttribute('data-turn-state')).toBe('running');
    expect(await turn(page, t2).locator('.agent-reply').innerText()).toContain('Let me run it.');
    const hrefs = await turn(page, t2).locator('.agent-reply a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    expect(hrefs.filter((href) => /^\s*javascript:/i.test(href))).toEqual([]);
    expect(await page.evaluate(() => '__pwned' in window)).toBe(false);

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => assistant.sent.at(-1)).toEqual({ type: 'agent_stop' });
    assistant.emit({ type: 'done', turn: t2, reply: 'Let me run it.', cells_changed: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }, stopped: true, stop_reason: 'aborted' });
    assistant.state({ undoable: ['t1'] });
    await expect.poll(() => turn(page, t2).getAttribute('data-turn-state')).toBe('stopped');
    expect(await turn(page, t2).locator('.agent-step').getAttribute('data-status')).toBe('cancelled');
    expect(await turn(page, t2).locator('.agent-usage').innerText()).toBe('10 prompt · 5 completion tokens');
    await page.getByRole('button', { name: 'Send' }).waitFor();
    await page.screenshot({ path: 'test-results/e2e-agent-scripted.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('explains how to configure a model and offers the local servers it found', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const assistant = await scriptAssistant(page, {
      ...configured,
      configured: false,
      base_url: null,
      model: null,
      has_api_key: false,
      detected: [{ name: 'Ollama', base_url: 'http://127.0.0.1:11434/v1', models: ['llama3.1', 'qwen2.5'] }],
      help: 'Found Ollama at http://127.0.0.1:11434/v1. Use it, or set OPENAI_BASE_URL and CELLMATE_MODEL.',
    });
    await open(page);
    await expect.poll(() => panel(page).locator('.agent-setup').innerText()).toContain('Found Ollama at http://127.0.0.1:11434/v1');
    expect(await promptBox(page).isDisabled()).toBe(true);
    await page.screenshot({ path: 'test-results/e2e-agent-setup.png' });
    await page.getByRole('button', { name: 'Use Ollama · llama3.1' }).click();
    await expect.poll(() => assistant.puts).toEqual([{ base_url: 'http://127.0.0.1:11434/v1', model: 'llama3.1' }]);
    await expect.poll(() => promptBox(page).isDisabled()).toBe(false);
    expect(await page.locator('.agent-setup').count()).toBe(0);

    // The panel folds away and comes back.
    await page.getByRole('button', { name: 'Hide assistant' }).click();
    expect(await panel(page).getAttribute('data-open')).toBe('false');
    await page.getByRole('button', { name: 'Open assistant' }).click();
    expect(await panel(page).getAttribute('data-open')).toBe('true');
    await page.close();
  });
});
