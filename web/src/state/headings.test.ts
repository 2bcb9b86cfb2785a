import { describe, expect, it } from 'vitest';
import { CellId } from '../../../server/protocol/ids.ts';
import { createCell, type CellDoc } from '../../../server/protocol/notebook.ts';
import { markdownHeadings, notebookHeadings } from './headings.ts';

const print = (source: string) => markdownHeadings(source).map((h) => `${'#'.repeat(h.level)} ${h.text}`);

describe('markdownHeadings', () => {
  it('finds ATX and setext headings, several per cell, in order', () => {
    expect(print('# Title\n\nText\n\n## Part *one*\n\nSub\n---\n\nBig\n===\n###### Six ######')).toEqual([
      '# Title',
      '## Part one',
      '## Sub',
      '# Big',
      '###### Six',
    ]);
  });

  it('ignores # lines in fenced and indented code, and things that only look like headings', () => {
    const source = ['```python', '# a comment', '```', '~~~', '## not either', '~~~', '', '    # indented code', '', '#hashtag', '####### seven', '<h2>html</h2>', '', '# Real'].join('\n');
    expect(print(source)).toEqual(['# Real']);
  });

  it('gives the heading text without markdown, math kept as written', () => {
    expect(print('## **Bold** _em_ `code` [link](https://x.example) ~~gone~~ A &amp; B \\# $a_1 * b_2$')).toEqual([
      '## Bold em code link gone A & B # $a_1 * b_2$',
    ]);
    expect(print('# `<T> & U` &#x41;&#66;')).toEqual(['# <T> & U AB']);
    expect(print('# Energy $x_a + y_b$ and $*k*$')).toEqual(['# Energy $x_a + y_b$ and $*k*$']);
  });

  it('skips empty headings', () => {
    expect(print('#\n\n## \n\n### x')).toEqual(['### x']);
  });
});

describe('notebookHeadings', () => {
  it('lists the markdown cells’ headings with their cells, code cells left out', () => {
    const cells: CellDoc[] = [
      createCell('markdown', '# Intro\n## Setup', CellId.from('a')),
      createCell('code', '# not a heading', CellId.from('b')),
      createCell('markdown', 'no heading', CellId.from('c')),
      createCell('markdown', 'Results\n=======', CellId.from('d')),
    ];
    expect(notebookHeadings(cells).map((h) => [h.cellId, h.cellIndex, h.level, h.text])).toEqual([
      ['a', 0, 1, 'Intro'],
      ['a', 0, 2, 'Setup'],
      ['d', 3, 1, 'Results'],
    ]);
  });
});
