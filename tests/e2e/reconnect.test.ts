/**
 * A tab whose connection is cut while a cell prints: it reconnects by itself and ends up showing every line
 * exactly once, in order, with the cell finished `ok`. The cut is made where a network would make it: the
 * server's end of the tab's TCP connection is destroyed (no WebSocket close frame), so Chromium sees a dropped
 * connection, and whatever was in flight is lost on the way.
 */
import { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { launchChromium } from '../helpers/browser.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';

let cellmate: TestCellmate;
let browser: Browser;
/** The server's end of every notebook WebSocket opened so far, newest last. */
const tabConnections: Duplex[] = [];
/** While set, a tab's attempts to connect are cut as they arrive, as by a network that is down. */
let isNetworkDown = false;

beforeAll(async () => {
  [cellmate, browser] = await Promise.all([startTestCellmate(), launchChromium()]);
  const { listener } = cellmate;
  if (!(listener instanceof Server)) throw new Error('Cellmate should listen with a node:http server');
  listener.prependListener('upgrade', (request, socket) => {
    if (!request.url?.includes('/ws')) return;
    if (isNetworkDown) socket.destroy();
    else tabConnections.push(socket);
  });
});

afterAll(async () => {
  await browser?.close();
  await cellmate?.cleanup();
});

/** The numbers printed so far, in the order the page shows them. */
async function shownNumbers(page: Page): Promise<number[]> {
  return numbersIn(await page.locator('[data-cell-id="c0"] .cell-outputs').innerText());
}

const savedNotebook = z.object({
  cells: z.array(z.object({ outputs: z.array(z.looseObject({ text: z.union([z.string(), z.array(z.string())]).optional() })).optional() })),
});

/** The numbers in the cell's outputs as the server holds them (the live document, through the REST API). */
async function serverNumbers(): Promise<number[]> {
  const response = await cellmate.api('/api/notebooks/cut.ipynb');
  const outputs = savedNotebook.parse(await response.json()).cells[0]?.outputs ?? [];
  const text = outputs.map((output) => [output.text ?? ''].flat().join('')).join('');
  return numbersIn(text);
}

function numbersIn(text: string): number[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

describe('a tab whose WebSocket is cut during a long run', () => {
  it('reconnects and shows every output exactly once, in order, and the cell ends ok', async () => {
    // 0..49, wait for gate 1; 50..99, wait for gate 2; then 100..199 as a steady stream. The gates let the test
    // put a cut where it means to, whatever the machine's speed.
    const gate = (n: number) => join(cellmate.workspace, `gate-${n}`);
    const source = [
      'import os, time',
      'def wait(path):',
      '    while not os.path.exists(path): time.sleep(0.02)',
      'for i in range(200):',
      '    print(i, flush=True)',
      `    if i == 49: wait(${JSON.stringify(gate(1))})`,
      `    if i == 99: wait(${JSON.stringify(gate(2))})`,
      '    time.sleep(0.02)',
    ].join('\n');
    const cells = [{ id: 'c0', cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }];
    const put = await cellmate.api('/api/notebooks/cut.ipynb', { method: 'PUT', body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }) });
    expect(put.ok).toBe(true);

    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${cellmate.url}/notebooks/cut.ipynb?token=${cellmate.token}`);
    const cell = page.locator('[data-cell-id="c0"]');
    await cell.waitFor();
    await cell.locator('.cell-prompt').click();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => shownNumbers(page), { timeout: 30_000 }).toEqual(range(0, 50));

    // First cut, and the way back held closed while the kernel prints 50..99: the tab can only learn of those
    // lines from the snapshot of its next connection, as nothing more is printed until gate 2.
    isNetworkDown = true;
    const connections = tabConnections.length;
    tabConnections.at(-1)?.destroy();
    await expect.poll(() => page.locator('[data-banner="reconnecting"]').count(), { timeout: 30_000 }).toBe(1);
    await writeFile(gate(1), '');
    await expect.poll(serverNumbers, { timeout: 30_000 }).toEqual(range(0, 100));
    expect(tabConnections.length).toBe(connections);
    expect(await shownNumbers(page)).toEqual(range(0, 50));
    isNetworkDown = false;
    await expect.poll(() => tabConnections.length, { timeout: 30_000 }).toBeGreaterThan(connections);
    await expect.poll(() => page.locator('[data-banner="reconnecting"]').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => shownNumbers(page), { timeout: 30_000 }).toEqual(range(0, 100));
    expect(await cell.getAttribute('data-run-status')).toBe('running');

    // Second cut: in the middle of the stream, while outputs are on their way; the tab comes straight back.
    await writeFile(gate(2), '');
    await expect.poll(() => shownNumbers(page).then((n) => n.at(-1) ?? 0), { timeout: 30_000 }).toBeGreaterThan(120);
    tabConnections.at(-1)?.destroy();
    await expect.poll(() => tabConnections.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(connections + 2);
    await expect.poll(() => page.locator('[data-banner="reconnecting"]').count(), { timeout: 30_000 }).toBe(0);

    await expect.poll(() => cell.getAttribute('data-run-status'), { timeout: 30_000 }).toBe('ok');
    // Outputs are drawn at most once a frame (outputs/frame-value.ts): the last lines may land a frame after the status.
    await expect.poll(() => shownNumbers(page), { timeout: 30_000 }).toEqual(range(0, 200));
    expect(await cell.locator('.cell-prompt').innerText()).toContain('[1]');
    expect(errors).toEqual([]);
    await context.close();
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
