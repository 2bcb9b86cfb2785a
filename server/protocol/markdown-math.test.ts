import { describe, expect, it } from 'vitest';
import { removeMath, replaceMath } from './markdown-math.ts';

const pieces = (source: string) => removeMath(source).math.map((m) => [m.tex, m.display]);

describe('removeMath', () => {
  it('cuts out inline and display math, leaving markers the markdown parser leaves alone', () => {
    const split = removeMath('Energy $E = m_1 c^2$ and\n$$\\sum_i a_i * b_i$$');
    expect(split.text).toBe('Energy @@0@@ and\n@@1@@');
    expect(split.math.map((m) => [m.tex, m.display])).toEqual([
      ['E = m_1 c^2', false],
      ['\\sum_i a_i * b_i', true],
    ]);
  });

  it('takes environments whole, as displays', () => {
    const source = 'Before\n\\begin{align}\na &= b_1 \\\\\nc &= d_2\n\\end{align}\nafter';
    const split = removeMath(source);
    expect(split.text).toBe('Before\n@@0@@\nafter');
    expect(split.math[0]).toMatchObject({ tex: '\\begin{align}\na &= b_1 \\\\\nc &= d_2\n\\end{align}', display: true });
    expect(pieces('\\begin{equation*}x\\end{equation*}')).toEqual([['\\begin{equation*}x\\end{equation*}', true]]);
  });

  it('knows \\(…\\) and \\[…\\], with one backslash or two', () => {
    expect(pieces('a \\(x_1\\) b \\[y_2\\] c \\\\(z\\\\)')).toEqual([
      ['x_1', false],
      ['y_2', true],
      ['z', false],
    ]);
  });

  it('balances braces, stops at a blank line, and keeps escaped dollars and code', () => {
    expect(pieces('$\\text{a $ b}$')).toEqual([['\\text{a $ b}', false]]);
    expect(removeMath('costs $5\n\nand $6').math).toEqual([]);
    expect(removeMath('a \\$ b $c$').text).toBe('a \\$ b @@0@@');
    const code = removeMath('`$HOME` and\n```sh\necho $PATH\n```\n$x$');
    expect(code.text).toBe('`$HOME` and\n```sh\necho $PATH\n```\n@@0@@');
    expect(code.math.map((m) => m.tex)).toEqual(['x']);
  });

  it('keeps text that looks like a marker as it was', () => {
    const split = removeMath('literal @@0@@ and $x$');
    const html = replaceMath(`<p>${split.text}</p>`, split.math, (m) => `[${m.tex}]`);
    expect(html).toBe('<p>literal @@0@@ and [x]</p>');
  });
});

describe('replaceMath', () => {
  it('renders math in text and shows the escaped source inside a tag', () => {
    const split = removeMath('[$a<b$](https://x/$c"$) $d$');
    const html = replaceMath('<a href="https://x/@@1@@">@@0@@</a> @@2@@', split.math, (m) => `<m>${m.tex}</m>`);
    expect(html).toBe('<a href="https://x/$c&#34;$"><m>a<b</m></a> <m>d</m>');
  });
});
