import { describe, expect, it } from 'vitest';
import { CellId } from '../../../server/protocol/ids.ts';
import { createCell, type CellDoc } from '../../../server/protocol/notebook.ts';
import { foldedMetadata, foldsHiding, hiddenCells, isFoldable, sectionSize, visibleCells } from './folding.ts';

/** A notebook from lines: `#…` a markdown heading cell (`+` after the hashes: folded), `md` plain markdown, else code. */
function notebook(...specs: string[]): CellDoc[] {
  return specs.map((spec, i) => {
    const id = CellId.from(`c${i}`);
    const heading = /^(#+)(\+?) (.*)$/.exec(spec);
    if (heading) {
      const cell = createCell('markdown', `${heading[1]} ${heading[3]}`, id);
      return heading[2] ? { ...cell, metadata: { heading_collapsed: true } } : cell;
    }
    return createCell(spec === 'md' ? 'markdown' : 'code', spec, id);
  });
}

/** The notebook as it shows: visible cells by index, hidden ones as `.` */
function shown(cells: CellDoc[]): string {
  const hidden = hiddenCells(cells);
  return cells.map((cell, i) => (hidden.has(cell.id) ? '.' : String(i))).join(' ');
}

describe('hiddenCells', () => {
  it('hides a folded heading’s section up to the next heading of the same or a higher level', () => {
    expect(shown(notebook('#+ A', 'x = 1', '## A.1', 'md', '# B', 'y = 2'))).toBe('0 . . . 4 5');
    expect(shown(notebook('## A', '##+ B', 'x', '### B.1', 'y', '## C', '# D'))).toBe('0 1 . . . 5 6');
  });

  it('hides nothing without folds, and a fold reaching the end hides the rest', () => {
    expect(shown(notebook('# A', 'x', '## B', 'y'))).toBe('0 1 2 3');
    expect(shown(notebook('x', '##+ A', 'y', '### B', 'z'))).toBe('0 1 . . .');
  });

  it('hides folded sections inside folded sections with them, and they stay folded inside', () => {
    const cells = notebook('#+ A', '##+ A.1', 'x', '## A.2', 'y', '# B', 'z');
    expect(shown(cells)).toBe('0 . . . . 5 6');
    const outerOpen = cells.map((cell) => (cell.id === 'c0' ? { ...cell, metadata: {} } : cell));
    expect(shown(outerOpen)).toBe('0 1 . 3 4 5 6');
  });

  it('ends a section at a cell whose highest heading is high enough, wherever it is in the cell', () => {
    const cells = [...notebook('##+ A', 'x'), createCell('markdown', 'Intro text\n\n# Next part', CellId.from('n')), ...notebook('y')];
    expect(shown(cells)).toBe('0 . 2 3');
  });

  it('ignores heading_collapsed on cells that don’t start with a heading, and # in code', () => {
    const cells = [
      { ...createCell('markdown', 'Text first\n\n# Heading', CellId.from('t')), metadata: { heading_collapsed: true } },
      createCell('code', 'x'),
      { ...createCell('markdown', '```\n# not a heading\n```', CellId.from('f')), metadata: { heading_collapsed: true } },
      createCell('code', 'y'),
    ];
    expect(hiddenCells(cells).size).toBe(0);
  });
});

describe('isFoldable', () => {
  it('is true for a markdown cell starting with an ATX or setext heading', () => {
    expect(isFoldable(createCell('markdown', '# A\ntext'))).toBe(true);
    expect(isFoldable(createCell('markdown', '\n  ## A'))).toBe(true);
    expect(isFoldable(createCell('markdown', 'Title\n====='))).toBe(true);
    expect(isFoldable(createCell('markdown', 'text\n# A'))).toBe(false);
    expect(isFoldable(createCell('markdown', '#hashtag'))).toBe(false);
    expect(isFoldable(createCell('code', '# comment'))).toBe(false);
  });
});

describe('sectionSize and foldsHiding', () => {
  const cells = notebook('#+ A', '##+ A.1', 'x', '## A.2', 'y', '# B', 'z');

  it('counts what a heading’s fold hides', () => {
    expect([0, 1, 3, 5, 6].map((i) => sectionSize(cells, i))).toEqual([4, 1, 1, 1, 0]);
  });

  it('names every fold to open to show a hidden cell, outermost first', () => {
    expect(foldsHiding(cells, CellId.from('c2'))).toEqual(['c0', 'c1']);
    expect(foldsHiding(cells, CellId.from('c4'))).toEqual(['c0']);
    expect(foldsHiding(cells, CellId.from('c3'))).toEqual(['c0']);
    expect(foldsHiding(cells, CellId.from('c5'))).toEqual([]);
    expect(foldsHiding(cells, CellId.from('missing'))).toEqual([]);
  });
});

describe('foldedMetadata', () => {
  it('sets heading_collapsed as JupyterLab does and removes it when unfolded, keeping the rest', () => {
    expect(foldedMetadata({ tags: ['a'] }, true)).toEqual({ tags: ['a'], heading_collapsed: true });
    expect(foldedMetadata({ tags: ['a'], heading_collapsed: true }, false)).toEqual({ tags: ['a'] });
  });
});

describe('visibleCells', () => {
  it('leaves out the cells of folded sections, and is the notebook itself without folds', () => {
    const folded = notebook('#+ A', 'x', '# B', 'y');
    expect(visibleCells(folded).map((cell) => cell.id)).toEqual(['c0', 'c2', 'c3']);
    const open = notebook('# A', 'x');
    expect(visibleCells(open)).toBe(open);
  });
});
