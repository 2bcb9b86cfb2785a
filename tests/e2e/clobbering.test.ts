/**
 * Sanitised markup can't clobber the page's globals. Elements with an `id` or `name` become properties of
 * `window` and `document` (`<a id="MathJax">` is `window.MathJax`, `<img name="getElementById">` would shadow
 * `document.getElementById`). A markdown cell, a markdown output, an HTML output and an assistant's reply all
 * carry such markup here, and the page's globals are untouched; their ids live on behind `user-content-`, and an
 * in-page link still jumps to its anchor.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ConversationEntry } from '../../server/protocol/agent.ts';
import { useCellmateAndBrowser, WAIT } from '../helpers/browser.ts';

const started = useCellmateAndBrowser({}, { localModelServers: [] });

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** Markup that, put into a page as it is, defines `window[tag]` and `document[tag + …]` and overrides two of document's own. */
function clobbering(tag: string): string {
  return [
    `<a id="${tag}" name="${tag}">${tag} anchor</a>`,
    `<img name="getElementById" src="${PNG}"> <img name="cookie" src="${PNG}"> <img id="${tag}Img" name="${tag}Img" src="${PNG}">`,
    `<form name="${tag}Form"><input name="attributes"></form>`,
    `<embed name="${tag}Embed"><object name="${tag}Object"></object>`,
  ].join('\n');
}

/** What those names are in the page, as `typeof`s. */
function globalsOf(page: Page, tag: string): Promise<Record<string, string>> {
  return page.evaluate((name) => {
    const win = window as unknown as Record<string, unknown>;
    const doc = document as unknown as Record<string, unknown>;
    return {
      [`window.${name}`]: typeof win[name],
      [`window.${name}Img`]: typeof win[`${name}Img`],
      [`document.${name}Img`]: typeof doc[`${name}Img`],
      [`document.${name}Form`]: typeof doc[`${name}Form`],
      [`document.${name}Embed`]: typeof doc[`${name}Embed`],
      [`document.${name}Object`]: typeof doc[`${name}Object`],
      'document.getElementById': typeof document.getElementById,
      'document.cookie': typeof document.cookie,
    };
  }, tag);
}

const untouched = (tag: string) => ({
  [`window.${tag}`]: 'undefined',
  [`window.${tag}Img`]: 'undefined',
  [`document.${tag}Img`]: 'undefined',
  [`document.${tag}Form`]: 'undefined',
  [`document.${tag}Embed`]: 'undefined',
  [`document.${tag}Object`]: 'undefined',
  'document.getElementById': 'function',
  'document.cookie': 'string',
});

const conversation: ConversationEntry[] = [
  { kind: 'user', turn: 't1', text: 'Explain the notes' },
  { kind: 'assistant', turn: 't1', text: `Here they are.\n\n${clobbering('MathJaxAgent')}`, model: 'fake-model' },
  { kind: 'turn_end', turn: 't1', usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }, cells_changed: [] },
];

const display = (data: Record<string, string>) => ({ output_type: 'display_data', data, metadata: {} });
const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { cellmate: { conversation } },
  cells: [
    {
      id: 'md',
      cell_type: 'markdown',
      metadata: {},
      source: `# Report\n\n[Jump to the notes](#notes)\n\n${clobbering('MathJax')}\n\n${'Filler paragraph.\n\n'.repeat(60)}<a id="notes">Notes</a> are here.`,
    },
    {
      id: 'outputs',
      cell_type: 'code',
      metadata: {},
      execution_count: 1,
      source: '# outputs',
      outputs: [display({ 'text/markdown': clobbering('MathJaxOutput') }), display({ 'text/html': `<p id="frame-content">frame</p>${clobbering('MathJaxFrame')}` })],
    },
  ],
};

describe('sanitised markup and DOM clobbering', () => {
  it('leaves the page’s globals alone while the ids are kept behind user-content-, and in-page links still jump', async () => {
    expect((await started.cellmate.api('/api/notebooks/clobber.ipynb', { method: 'PUT', body: JSON.stringify(notebook) })).status).toBe(201);
    const page = await started.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${started.cellmate.url}/notebooks/clobber.ipynb?token=${started.cellmate.token}`);
    const open = page.getByRole('button', { name: 'Open assistant' });
    await expect.poll(async () => (await open.isVisible()) || (await page.locator('[data-panel="agent"]').isVisible()), WAIT).toBe(true);
    if (await open.isVisible()) await open.click();

    // Everything is shown first: the markup is in the page (and in the HTML output's frame).
    const cell = (id: string) => page.locator(`[data-cell-id="${id}"]`);
    const shown = (where: ReturnType<Page['locator']>, tag: string) => where.locator('a', { hasText: `${tag} anchor` }).count();
    await expect.poll(() => shown(cell('md'), 'MathJax'), WAIT).toBe(1);
    await expect.poll(() => shown(cell('outputs').locator('.output-markdown'), 'MathJaxOutput'), WAIT).toBe(1);
    await expect.poll(() => shown(page.locator('[data-panel="agent"] .agent-reply'), 'MathJaxAgent'), WAIT).toBe(1);
    const frame = cell('outputs').frameLocator('iframe.output-html');
    await expect.poll(() => frame.locator('#frame-content').count(), WAIT).toBe(1);

    for (const tag of ['MathJax', 'MathJaxOutput', 'MathJaxAgent', 'MathJaxFrame']) expect(await globalsOf(page, tag)).toEqual(untouched(tag));
    // The ids and names are kept, behind the prefix; none of the app's DOM came from this markup without it.
    expect(await cell('md').locator('a#user-content-MathJax[name="user-content-MathJax"]').count()).toBe(1);
    expect(await cell('outputs').locator('.output-markdown #user-content-MathJaxOutput').count()).toBe(1);
    expect(await page.locator('[data-panel="agent"] .agent-reply #user-content-MathJaxAgent').count()).toBe(1);
    expect(await cell('md').locator('img[name="user-content-getElementById"]').count()).toBe(1);
    const unprefixed = await page.locator('.markdown-body [id]:not([id^="user-content-"]), .markdown-body [name]:not([name^="user-content-"])').count();
    expect(unprefixed).toBe(0);

    // The in-page link follows the prefix and jumps: its target is the document's :target, scrolled into view.
    const link = cell('md').getByRole('link', { name: 'Jump to the notes' });
    expect(await link.getAttribute('href')).toBe('#user-content-notes');
    expect(await link.getAttribute('target')).toBeNull();
    const notes = cell('md').locator('#user-content-notes');
    expect(await notes.evaluate((element) => element.getBoundingClientRect().top > window.innerHeight || element.getBoundingClientRect().top < 0)).toBe(true);
    await link.click();
    await expect.poll(() => page.evaluate(() => document.querySelector(':target')?.textContent ?? null), WAIT).toBe('Notes');
    await expect.poll(() => notes.evaluate((element) => {
      const { top } = element.getBoundingClientRect();
      return top >= 0 && top < window.innerHeight;
    }), WAIT).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/notebooks/clobber.ipynb');
    expect(errors).toEqual([]);

    // Control: the same markup put into the page unsanitised does clobber, so the checks above can fail.
    await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), clobbering('Control'));
    const clobbered = await globalsOf(page, 'Control');
    expect(clobbered['window.Control']).toBe('object');
    expect(clobbered['document.ControlImg']).toBe('object');
    expect(clobbered['document.getElementById']).toBe('object');
    await page.close();
  });
});
