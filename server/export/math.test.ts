import { describe, expect, it } from 'vitest';
import { createCell, createNotebook } from '../protocol/index.ts';
import { EXPORT_CSP, toHtmlPage } from './html.ts';
import { renderLatex, renderMarkdown } from './sanitize.ts';

describe('math in the HTML export', () => {
  it('renders inline, display and environment math with KaTeX, markdown left alone inside it', () => {
    const html = renderMarkdown('Let $a_1 * b_1$ be *small*.\n\n$$\\frac{x}{y}$$\n\n\\begin{align}a &= b \\\\ c &= d\\end{align}');
    expect(html.match(/class="katex"/g)).toHaveLength(3);
    expect(html).toContain('class="katex-display"');
    expect(html).toContain('<em>small</em>');
    expect(html).not.toContain('<em>1 </em>');
    expect(html).not.toContain('katex-error');
    // KaTeX's own markup survives the allow-list: its sizes, its SVG, its MathML.
    expect(html).toMatch(/style="height:[\d.]+em"/);
    expect(html).toContain('<annotation encoding="application/x-tex">a_1 * b_1</annotation>');
    expect(renderMarkdown('$\\sqrt{x}$')).toMatch(/<svg[^>]*><path d="M/);
  });

  it('renders text/latex outputs', () => {
    expect(renderLatex('$$\\alpha^2$$')).toContain('class="katex-display"');
    expect(renderLatex('plain <b>text</b>')).toBe('plain &#60;b&#62;text&#60;/b&#62;');
  });

  it('renders hostile TeX inert: no links, no classes or styles of its own, expansions and sizes bounded', () => {
    const href = renderMarkdown('$\\href{javascript:alert(1)}{click}$ $\\url{https://evil.example}$');
    // Untrusted, KaTeX shows the command's name in red instead of making a link.
    expect(href).not.toMatch(/<a\s|href=/);
    expect(href).toContain('<span class="mord" style="color:#cc0000">\\href</span>');
    const html = renderMarkdown('$\\htmlClass{evil}{x}\\htmlStyle{background:url(https://evil.example)}{y}\\htmlId{MathJax}{z}$');
    expect(html).not.toMatch(/class="[^"]*evil/);
    expect(html).not.toMatch(/id="/);
    expect(html).not.toMatch(/style="[^"]*url\(/);
    const bomb = renderMarkdown('$\\def\\a{\\a\\a}\\a$ $\\def\\b{xxxxxxxxxx}\\def\\c{\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b}\\def\\d{\\c\\c\\c\\c\\c\\c\\c\\c\\c\\c}\\def\\e{\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d}\\e\\e\\e\\e$');
    expect(bomb.match(/katex-error/g)).toHaveLength(2);
    expect(bomb.length).toBeLessThan(20_000);
    const rule = renderMarkdown('$\\rule{100000em}{1em}$');
    expect(rule).toContain('style="border-right-width:50em;');
    expect(rule).not.toMatch(/style="[^"]*100000em/);
  });

  it('puts KaTeX stylesheet and fonts in the page, only when there is math, under a policy that allows only data: fonts', () => {
    const withMath = toHtmlPage({ ...createNotebook(), cells: [createCell('markdown', 'Euler: $e^{i\\pi} + 1 = 0$')] }, 'm.ipynb');
    expect(withMath).toContain('.katex{');
    expect(withMath).toMatch(/@font-face\{[^}]*src:url\(data:font\/woff2;base64,[A-Za-z0-9+/]+=*\) format\("woff2"\)\}/);
    expect(withMath).not.toMatch(/url\((?!data:)/);
    expect(EXPORT_CSP).toContain("font-src data:");
    const without = toHtmlPage({ ...createNotebook(), cells: [createCell('markdown', 'No math, costs 5 dollars.')] }, 'p.ipynb');
    expect(without).not.toContain('@font-face');
  });

  it('turns a remote image into a note with its address as text', () => {
    const html = renderMarkdown('![chart](https://images.example.org/a.png) <span class="katex">fake</span>');
    expect(html).toBe('<p><span class="remote-image">Image not included: https://images.example.org/a.png</span> <span>fake</span></p>\n');
  });
});
