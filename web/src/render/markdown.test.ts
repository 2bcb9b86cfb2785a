import { describe, expect, it } from 'vitest';
import { renderMath } from './katex.ts';
import { markdownToUnsafeHtml } from './markdown.ts';

describe('markdownToUnsafeHtml', () => {
  it('renders GitHub-flavoured markdown', () => {
    expect(markdownToUnsafeHtml('# Title\n\n| a |\n|---|\n| 1 |')).toContain('<table>');
    expect(markdownToUnsafeHtml('~~gone~~')).toContain('<del>gone</del>');
  });

  it('resolves attachment images', () => {
    const html = markdownToUnsafeHtml('![plot](attachment:p.png)', { 'p.png': { 'image/png': 'AAAA' } });
    expect(html).toContain('src="data:image/png;base64,AAAA"');
  });
});

describe('math in markdown', () => {
  it('keeps markdown out of math: `_`, `*` and `\\\\` reach KaTeX as written', () => {
    const html = markdownToUnsafeHtml('Let $a_1 * b_1 * c$ and $x_2$ be *small*; \\[\\begin{matrix}1 \\\\ 2\\end{matrix}\\]', undefined, renderMath);
    expect(html.match(/class="katex"/g)).toHaveLength(3);
    // Subscripts and a matrix row break, not emphasis or a line break: KaTeX got the TeX as written.
    expect(html.match(/<msub>/g)).toHaveLength(3);
    expect(html.match(/<mtr>/g)).toHaveLength(2);
    // The TeX source is not carried along (see katex.ts).
    expect(html).not.toContain('<annotation');
    expect(html.match(/<em>/g)).toHaveLength(1);
    expect(html).not.toContain('katex-error');
  });

  it('renders align and other environments as displays', () => {
    const html = markdownToUnsafeHtml('\\begin{align}\na &= b + c \\\\\nd &= e\n\\end{align}', undefined, renderMath);
    expect(html).toContain('class="katex-display"');
    expect(html).not.toContain('katex-error');
  });

  it('shows math as its source until KaTeX is there', () => {
    expect(markdownToUnsafeHtml('Cost $a<b$')).toBe('<p>Cost <span class="math-pending">$a&#60;b$</span></p>\n');
  });

  it('leaves dollars in code alone', () => {
    expect(markdownToUnsafeHtml('`$HOME` and `$PATH`', undefined, renderMath)).toBe('<p><code>$HOME</code> and <code>$PATH</code></p>\n');
  });

  it('renders hostile TeX inert before the sanitiser even sees it', () => {
    const html = markdownToUnsafeHtml(
      '$\\href{javascript:alert(1)}{x}$ $\\htmlClass{evil}{y}$ $\\htmlData{onclick=alert(1)}{z}$ $\\includegraphics{https://evil.example/a.png}$',
      undefined,
      renderMath,
    );
    // (The source stays readable as text in KaTeX's annotation; no attribute carries it.)
    expect(html).not.toMatch(/\s(href|src|onclick|data-onclick)="|class="[^"]*evil/);
    const bomb = markdownToUnsafeHtml('$\\def\\a{\\a\\a}\\a$', undefined, renderMath);
    expect(bomb).toContain('katex-error');
    const long = markdownToUnsafeHtml(`$${'x'.repeat(30_000)}$`, undefined, renderMath);
    expect(long).toContain('class="math-too-long"');
  });
});
