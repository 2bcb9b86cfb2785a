import { describe, expect, it } from 'vitest';
import { createCell, createNotebook, type NotebookDoc } from '../protocol/index.ts';
import { hostileNotebook, PNG_1PX } from '../../tests/fixtures/export/hostile.ts';
import { EXPORT_CSP, toHtmlPage, toPercentScript } from './index.ts';

function doc(...cells: ReturnType<typeof createCell>[]): NotebookDoc {
  return { ...createNotebook(), cells };
}

describe('percent-format script', () => {
  it('marks cells, comments markdown, raw cells and magics', () => {
    const script = toPercentScript(
      doc(
        createCell('markdown', '# Sales\n\nBy month.'),
        createCell('code', '%matplotlib inline\n!pip list\nimport pandas as pd\ndf = pd.read_csv("sales.csv")\n'),
        createCell('raw', 'raw text'),
        createCell('code', ''),
      ),
    );
    expect(script).toBe(
      [
        '# Exported from Cellmate (python); cells are marked with "# %%".',
        '',
        '# %% [markdown]',
        '# # Sales',
        '#',
        '# By month.',
        '',
        '# %%',
        '# %matplotlib inline',
        '# !pip list',
        'import pandas as pd',
        'df = pd.read_csv("sales.csv")',
        '',
        '# %% [raw]',
        '# raw text',
        '',
        '# %%',
        '',
      ].join('\n'),
    );
  });
});

describe('HTML page', () => {
  const beacon = 'http://127.0.0.1:9/beacon';
  const page = toHtmlPage(hostileNotebook(beacon), 'hostile.ipynb');

  it('carries the strict CSP and no script anywhere in its own markup', () => {
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${EXPORT_CSP}">`);
    expect(EXPORT_CSP).toMatch(/default-src 'none'/);
    // Outside the escaped srcdoc attributes, nothing can be a tag or a handler.
    const tags = page.replace(/srcdoc="[^"]*"/g, 'srcdoc=""').match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.length).toBeGreaterThan(20);
    expect(tags.filter((tag) => /^<(script|svg|object|embed|base|form|link)\b/i.test(tag))).toEqual([]);
    expect(tags.filter((tag) => /\son\w+\s*=|javascript:|data:text/i.test(tag))).toEqual([]);
    expect(tags.filter((tag) => /^<style/i.test(tag))).toEqual(['<style>']);
    expect(tags.filter((tag) => tag.includes(beacon))).toEqual([]);
  });

  it('puts HTML outputs in sandboxed frames without allow-scripts', () => {
    const frames = page.match(/<iframe[^>]*>/g) ?? [];
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatch(/sandbox=""/);
    expect(frames[0]).not.toMatch(/allow-scripts/);
    expect(frames[0]).toContain('&#60;table&#62;');
  });

  it('inlines images as data URLs (SVG only inside <img>) and renders ANSI', () => {
    expect(page).toContain(`src="data:image/png;base64,${PNG_1PX}"`);
    expect(page).toMatch(/<img class="output-image" alt="SVG output" src="data:image\/svg\+xml;base64,/);
    expect(page).not.toContain('\u001b');
    expect(page).toMatch(/<span style="color:rgb\(\d+,\s*\d+,\s*\d+\)">ValueError<\/span>/);
    expect(page).toContain('<strong>bold</strong>');
  });

  it('keeps cell attachments as inline images and code as escaped text', () => {
    const md = { ...createCell('markdown', '![chart](attachment:chart.png)'), attachments: { 'chart.png': { 'image/png': PNG_1PX } } };
    const html = toHtmlPage(doc(md, createCell('code', 'if a < b and c > d: print("&")')), 'a.ipynb');
    expect(html).toContain(`src="data:image/png;base64,${PNG_1PX}"`);
    expect(html).toContain('if a &#60; b and c &#62; d: print(&#34;&#38;&#34;)');
  });
});
