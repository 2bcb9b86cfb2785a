import { describe, expect, it } from 'vitest';
import { CellId } from '../../../server/protocol/ids.ts';
import { createCell, type CellDoc, type CellType } from '../../../server/protocol/notebook.ts';
import { selectRun } from './run-selection.ts';

const cell = (id: string, type: CellType = 'code'): CellDoc => createCell(type, '', CellId.from(id));
const cells = [cell('a'), cell('m', 'markdown'), cell('b'), cell('r', 'raw'), cell('c')];
const id = CellId.from;

describe('selectRun', () => {
  it('runs every code cell and renders every markdown cell for "all", selection or not', () => {
    expect(selectRun(cells, 'all', null)).toEqual({ run: [id('a'), id('b'), id('c')], render: [id('m')] });
    expect(selectRun(cells, 'all', id('b')).run).toEqual([id('a'), id('b'), id('c')]);
  });

  it('takes the cells above the selected one, without it', () => {
    expect(selectRun(cells, 'above', id('b'))).toEqual({ run: [id('a')], render: [id('m')] });
    expect(selectRun(cells, 'above', id('a'))).toEqual({ run: [], render: [] });
  });

  it('takes the selected cell and every cell below it', () => {
    expect(selectRun(cells, 'below', id('b'))).toEqual({ run: [id('b'), id('c')], render: [] });
    expect(selectRun(cells, 'below', id('m'))).toEqual({ run: [id('b'), id('c')], render: [id('m')] });
  });

  it('covers nothing above or below without a (live) selection', () => {
    expect(selectRun(cells, 'above', null)).toEqual({ run: [], render: [] });
    expect(selectRun(cells, 'below', id('gone'))).toEqual({ run: [], render: [] });
  });
});
