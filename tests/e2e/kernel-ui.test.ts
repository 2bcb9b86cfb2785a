/**
 * What a person sees of the kernel, in Chromium against a whole Cellmate: the Run menu (above, below, all,
 * restart and run all), queued and not-run cells, a kernel that dies, input() answered in the cell, a flood that
 * leaves the page usable and stops on Interrupt, and the kernel picker with a second kernelspec.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPython } from '../../server/config.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { HANG_GUARD_MS, settlesWithin } from '../helpers/hang-guard.ts';

let cellmate: TestCellmate;
let browser: Browser;
let jupyterPath: string;
const previousJupyterPath = process.env.JUPYTER_PATH;

beforeAll(async () => {
  // A second kernelspec (the same Python under another name) for the picker, seen by the embedded Jupyter Server.
  jupyterPath = await mkdtemp(join(tmpdir(), 'cellmate-kernelspecs-'));
  await mkdir(join(jupyterPath, 'kernels', 'python3-alt'), { recursive: true });
  const python = process.env.CELLMATE_PYTHON ?? defaultPython();
  const spec = { argv: [python, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: 'Python 3 (alt)', language: 'python' };
  await writeFile(join(jupyterPath, 'kernels', 'python3-alt', 'kernel.json'), JSON.stringify(spec));
  process.env.JUPYTER_PATH = jupyterPath;
  [cellmate, browser] = await Promise.all([startTestCellmate(), launchChromium()]);
  await mkdir('test-results', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await cellmate?.cleanup();
  if (previousJupyterPath === undefined) delete process.env.JUPYTER_PATH;
  else process.env.JUPYTER_PATH = previousJupyterPath;
  await rm(jupyterPath, { recursive: true, force: true });
});

/** Script errors of each tab, checked before it closes: a UI that throws while it works is broken too. */
const pageErrors = new WeakMap<Page, string[]>();

async function closePage(page: Page): Promise<void> {
  expect(pageErrors.get(page) ?? []).toEqual([]);
  await page.close();
}

/** Writes a notebook of code cells `c0`, `c1`… and opens it in a new tab. */
async function openNotebook(path: string, sources: string[], page?: Page): Promise<Page> {
  const cells = sources.map((source, i) => ({ id: `c${i}`, cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }));
  const metadata = { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' }, language_info: { name: 'python' } };
  if (!page) {
    const put = await cellmate.api(`/api/notebooks/${encodeURIComponent(path)}`, { method: 'PUT', body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata, cells }) });
    expect(put.ok).toBe(true);
  }
  const tab = page ?? (await browser.newPage());
  const errors: string[] = [];
  pageErrors.set(tab, errors);
  tab.on('pageerror', (error) => errors.push(error.message));
  await tab.goto(`${cellmate.url}/notebooks/${path}?token=${cellmate.token}`);
  await tab.locator('[data-cell-id]').first().waitFor();
  return tab;
}

const cell = (page: Page, index: number) => page.locator(`[data-cell-id="c${index}"]`);
const status = (page: Page, index: number) => cell(page, index).getAttribute('data-run-status');
const prompt = (page: Page, index: number) => cell(page, index).locator('.cell-prompt').innerText();
const outputText = (page: Page, index: number) => cell(page, index).locator('.cell-outputs').innerText();
const kernelState = (page: Page) => page.locator('[data-kernel-state]').getAttribute('data-kernel-state');

async function runFromMenu(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: 'Run menu' }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

async function select(page: Page, index: number): Promise<void> {
  await cell(page, index).locator('.cell-prompt').click();
  await expect.poll(() => cell(page, index).getAttribute('class'), { timeout: HANG_GUARD_MS }).toContain('is-selected');
}

/** Selects the cell and runs it with Ctrl+Enter in command mode (the focus stays on the cell). */
async function runCellAt(page: Page, index: number): Promise<void> {
  await select(page, index);
  await page.keyboard.press('Control+Enter');
}

describe('running cells from the Run menu', () => {
  it('runs above, below and all', async () => {
    const page = await openNotebook('run-menu.ipynb', ['print("A")', 'print("B")', 'print("C")']);
    await select(page, 1);
    await runFromMenu(page, 'Run above');
    await expect.poll(() => outputText(page, 0), { timeout: 30_000 }).toContain('A');
    await expect.poll(() => status(page, 0), { timeout: HANG_GUARD_MS }).toBe('ok');
    expect(await prompt(page, 0)).toContain('[1]');
    expect([await status(page, 1), await status(page, 2)]).toEqual(['idle', 'idle']);
    expect(await prompt(page, 1)).toContain('[ ]');

    await runFromMenu(page, 'Run below');
    await expect.poll(() => outputText(page, 2), { timeout: 30_000 }).toContain('C');
    expect(await outputText(page, 1)).toContain('B');
    expect([await prompt(page, 0), await prompt(page, 1), await prompt(page, 2)].join(' ')).toMatch(/\[1\].*\[2\].*\[3\]/s);

    await page.getByRole('button', { name: 'Run all', exact: true }).click();
    await expect.poll(() => prompt(page, 2), { timeout: 30_000 }).toContain('[6]');
    expect(await prompt(page, 0)).toContain('[4]');
    await closePage(page);
  });

  it('shows queued cells as [*], and the cells after a failure as not run, unlike cells never run', async () => {
    const page = await openNotebook('not-run.ipynb', ['import time\ntime.sleep(2)\n1/0', 'print("second")', 'print("third")', 'print("untouched")']);
    await select(page, 3);
    await runFromMenu(page, 'Run above');
    await expect.poll(() => status(page, 2), { timeout: 30_000 }).toBe('queued');
    expect(await prompt(page, 2)).toContain('[*]');
    expect(await cell(page, 2).getAttribute('class')).toContain('is-queued');

    await expect.poll(() => status(page, 0), { timeout: 30_000 }).toBe('error');
    await expect.poll(() => status(page, 1), { timeout: HANG_GUARD_MS }).toBe('aborted');
    expect(await status(page, 2)).toBe('aborted');
    expect(await outputText(page, 0)).toContain('ZeroDivisionError');
    for (const index of [1, 2]) {
      expect(await cell(page, index).locator('.not-run-badge').innerText()).toMatch(/not run/i);
      expect(await cell(page, index).locator('.run-problem[data-run-note="aborted"]').innerText()).toBe('Not run because cell [1] raised an error');
      expect(await outputText(page, index)).not.toContain('second');
    }
    // The cell that was never asked to run looks different from those that were not run.
    expect(await status(page, 3)).toBe('idle');
    expect(await cell(page, 3).locator('.not-run-badge').count()).toBe(0);
    await page.screenshot({ path: 'test-results/e2e-not-run.png', fullPage: true });
    await closePage(page);
  });

  it('restarts and runs all (after a confirmation), from the menu and over REST', async () => {
    const page = await openNotebook('restart-run-all.ipynb', ['n = globals().get("n", 0) + 1\nprint("n =", n)']);
    await page.getByRole('button', { name: 'Run all', exact: true }).click();
    await expect.poll(() => outputText(page, 0), { timeout: 30_000 }).toContain('n = 1');
    await page.getByRole('button', { name: 'Run all', exact: true }).click();
    await expect.poll(() => outputText(page, 0), { timeout: 30_000 }).toContain('n = 2');

    await runFromMenu(page, 'Restart and run all');
    const dialog = page.getByRole('dialog', { name: 'Restart kernel and run all?' });
    await dialog.waitFor();
    await page.screenshot({ path: 'test-results/e2e-restart-dialog.png' });
    await dialog.getByRole('button', { name: 'Restart and run all' }).click();
    await expect.poll(() => prompt(page, 0), { timeout: 30_000 }).toContain('[1]');
    await expect.poll(() => outputText(page, 0), { timeout: HANG_GUARD_MS }).toContain('n = 1');
    expect(await page.getByRole('dialog').count()).toBe(0);

    const rest = await cellmate.api('/api/notebooks/restart-run-all.ipynb/restart?run_all=1', { method: 'POST' });
    const body = (await rest.json()) as { cells: { id: string; status: string; outputs: { text?: string }[] }[] };
    expect(body.cells).toMatchObject([{ id: 'c0', status: 'ok', outputs: [{ text: 'n = 1\n' }] }]);

    // Restart alone asks first too; Cancel keeps the kernel and its variables.
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    await page.getByRole('dialog', { name: 'Restart kernel?' }).getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Run all', exact: true }).click();
    await expect.poll(() => outputText(page, 0), { timeout: 30_000 }).toContain('n = 2');
    await closePage(page);
  });

  it('shows a kernel that died on the running cell and in the kernel badge, and runs again after', async () => {
    const page = await openNotebook('death.ipynb', ['import os, signal\nos.kill(os.getpid(), signal.SIGKILL)', 'print("alive")']);
    // Kernel states can pass quickly: record every one the badge shows, with the message beside it.
    await page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { kernelStatesSeen: seen });
      new MutationObserver(() => {
        const state = document.querySelector('[data-kernel-state]')?.getAttribute('data-kernel-state') ?? '';
        seen.push(`${state}: ${document.querySelector('.kernel-message')?.textContent ?? ''}`);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await select(page, 0);
    await runFromMenu(page, 'Run selected cell');
    await expect.poll(() => status(page, 0), { timeout: 30_000 }).toBe('error');
    const note = await cell(page, 0).locator('.run-problem[data-run-note="error"]').innerText();
    expect(note).toMatch(/die|kill|signal/i);
    const seen = await page.evaluate(() => (window as unknown as { kernelStatesSeen: string[] }).kernelStatesSeen);
    expect(seen.some((entry) => /^(dead|restarting): \S/.test(entry))).toBe(true);

    await runCellAt(page, 1);
    await expect.poll(() => outputText(page, 1), { timeout: 60_000 }).toContain('alive');
    await closePage(page);
  });
});

describe('input() in the cell', () => {
  it('asks in every tab, takes the answer from one, and hides what a password prompt gets', async () => {
    const source = 'name = input("Your name? ")\nprint(f"Hello, {name}!")';
    const a = await openNotebook('input.ipynb', [source, 'import getpass\nsecret = getpass.getpass("Secret: ")\nprint(len(secret))']);
    const b = await openNotebook('input.ipynb', [], await browser.newPage());
    await runCellAt(a, 0);

    const fieldA = cell(a, 0).getByLabel('Cell input');
    await fieldA.waitFor({ timeout: 30_000 });
    await cell(b, 0).getByLabel('Cell input').waitFor();
    expect(await cell(a, 0).locator('.cell-input-prompt').innerText()).toContain('Your name?');
    await a.screenshot({ path: 'test-results/e2e-input.png' });
    await expect.poll(() => a.evaluate(() => document.activeElement?.getAttribute('aria-label')), { timeout: HANG_GUARD_MS }).toBe('Cell input');
    await a.keyboard.type('Ada');
    await a.keyboard.press('Enter');
    for (const page of [a, b]) {
      await expect.poll(() => outputText(page, 0), { timeout: 30_000 }).toContain('Hello, Ada!');
      await expect.poll(() => cell(page, 0).locator('form.cell-input').count(), { timeout: HANG_GUARD_MS }).toBe(0);
    }

    await runCellAt(b, 1);
    const secret = cell(b, 1).getByLabel('Cell input');
    await secret.waitFor({ timeout: 30_000 });
    expect(await secret.getAttribute('type')).toBe('password');
    await secret.fill('hunter2');
    await secret.press('Enter');
    await expect.poll(() => outputText(a, 1), { timeout: 30_000 }).toMatch(/^7$/m);
    expect(await outputText(a, 1)).not.toContain('hunter2');
    await closePage(a);
    await closePage(b);
  });
});

describe('an output flood', () => {
  it('leaves the page responsive, shows the end of the stream and the truncation, and stops on Interrupt', async () => {
    const page = await openNotebook('flood.ipynb', ['i = 0\nwhile True:\n    i += 1\n    print(i)']);
    await runCellAt(page, 0);
    await expect.poll(() => cell(page, 0).locator('.output-stream').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    // While outputs pour in, the page answers: ten round trips through its main thread and its next frame, each
    // seeing the cell still running (the loop never ends by itself). Each within the hang guard: how fast the page
    // answers is not asserted here.
    const seenAtFrames: (string | null | undefined)[] = [];
    for (let i = 0; i < 10; i++) {
      const frame = page.evaluate(
        () => new Promise<string | null | undefined>((resolve) => requestAnimationFrame(() => resolve(document.querySelector('[data-cell-id="c0"]')?.getAttribute('data-run-status')))),
      );
      seenAtFrames.push(await settlesWithin('an animation frame during the flood', frame));
    }
    expect(seenAtFrames).toEqual(Array.from({ length: 10 }, () => 'running'));

    // The server's cap cuts the stream with a note; the page shows only the stream's end until asked.
    const truncated = cell(page, 0).locator('.output-truncated');
    await expect.poll(() => truncated.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await truncated.first().innerText()).toMatch(/Output truncated/);
    const showAll: Locator = cell(page, 0).getByRole('button', { name: /^Show all \(/ });
    expect(await showAll.count()).toBe(1);
    const shown = await cell(page, 0).locator('pre.output-stream').first().evaluate((pre) => pre.textContent?.length ?? 0);
    expect(shown).toBeLessThanOrEqual(64 * 1024);
    expect(await kernelState(page)).toBe('busy');
    await page.screenshot({ path: 'test-results/e2e-flood.png' });

    await page.getByRole('button', { name: 'Interrupt' }).click();
    await expect.poll(() => cell(page, 0).locator('.output[data-output-type="error"]').innerText(), { timeout: 20_000 }).toContain('KeyboardInterrupt');
    await expect.poll(() => status(page, 0), { timeout: HANG_GUARD_MS }).toBe('error');
    await expect.poll(() => kernelState(page), { timeout: 20_000 }).toBe('idle');

    await showAll.click();
    await expect.poll(() => cell(page, 0).locator('pre.output-stream').first().evaluate((pre) => pre.textContent?.length ?? 0), { timeout: HANG_GUARD_MS }).toBeGreaterThan(64 * 1024);
    await closePage(page);
  });
});

describe('kernel choice', () => {
  it('lists the kernelspecs, shows the sandbox, switches and keeps the choice in the notebook', async () => {
    const page = await openNotebook('picker.ipynb', ['import sys\nprint("ran on", sys.version_info[0])']);
    const picker = page.getByRole('combobox', { name: 'Kernel', exact: true });
    await expect.poll(() => picker.locator('option').allInnerTexts(), { timeout: HANG_GUARD_MS }).toEqual(expect.arrayContaining(['Python 3 (ipykernel)', 'Python 3 (alt)']));
    expect(await picker.getAttribute('data-kernelspec')).toBe('python3');
    expect(await picker.inputValue()).toBe('python3');
    await page.screenshot({ path: 'test-results/e2e-kernel-picker.png' });
    const shield = page.locator('.sandbox-badge');
    expect(await shield.getAttribute('aria-label')).toMatch(/^(Sandboxed: |Not sandboxed: )/);

    await picker.selectOption('python3-alt');
    const storedSpec = async () => {
      const stored = (await (await cellmate.api('/api/notebooks/picker.ipynb')).json()) as { metadata: { kernelspec: { name: string; display_name: string } } };
      return stored.metadata.kernelspec;
    };
    await expect.poll(storedSpec, { timeout: 30_000 }).toMatchObject({ name: 'python3-alt', display_name: 'Python 3 (alt)' });
    // The switch is over when the picker is usable again, showing the notebook's (new) kernelspec.
    await expect.poll(() => picker.isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await picker.getAttribute('data-kernelspec')).toBe('python3-alt');
    await runCellAt(page, 0);
    await expect.poll(() => outputText(page, 0), { timeout: 60_000 }).toContain('ran on 3');

    await page.reload();
    await expect.poll(() => page.getByRole('combobox', { name: 'Kernel', exact: true }).inputValue(), { timeout: 30_000 }).toBe('python3-alt');
    await closePage(page);
  });

  it('tells on the start page how the Jupyter Server is doing', async () => {
    const page = await browser.newPage();
    await page.goto(cellmate.openUrl);
    const line = page.locator('[data-jupyter-state]');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.getAttribute('data-jupyter-state')).toBe('running');
    expect(await line.innerText()).toContain('Jupyter Server (embedded): running');
    await closePage(page);
  });
});
