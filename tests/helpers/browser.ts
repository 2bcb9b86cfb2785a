/**
 * Debian's Chromium driven by playwright-core: never a downloaded browser. Each launch gets a fresh profile.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestCellmate, type TestCellmate } from './cellmate.ts';

/** How long a condition in a page may take to come true on a loaded machine: a hang guard, not a timing bound. */
export const WAIT = { timeout: 20_000 };

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CELLMATE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** The Cellmate and the Chromium a test file shares; read them inside its tests and hooks. */
export interface CellmateAndBrowser {
  readonly cellmate: TestCellmate;
  readonly browser: Browser;
}

/**
 * Starts a Cellmate (`startTestCellmate`'s arguments) and Chromium together before the file's tests, and closes
 * both after them.
 *
 * @example
 * const started = useCellmateAndBrowser({}, { localModelServers: [] });
 * it('opens', async () => {
 *   const page = await started.browser.newPage();
 *   await page.goto(`${started.cellmate.url}/?token=${started.cellmate.token}`);
 * });
 */
export function useCellmateAndBrowser(...args: Parameters<typeof startTestCellmate>): CellmateAndBrowser {
  let cellmate: TestCellmate | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [cellmate, browser] = await Promise.all([startTestCellmate(...args), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await cellmate?.cleanup();
  });
  const started = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`The ${what} starts in beforeAll: use it inside tests and hooks`);
    return value;
  };
  return {
    get cellmate() {
      return started('Cellmate', cellmate);
    },
    get browser() {
      return started('browser', browser);
    },
  };
}
