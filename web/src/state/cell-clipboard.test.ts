import { describe, expect, it } from 'vitest';
import { CellId } from '../../../server/protocol/ids.ts';
import { createCell, type CellDoc } from '../../../server/protocol/notebook.ts';
import { CellClipboard, CLIPBOARD_KEY, parseCells, serializeCells, type ClipboardStorage } from './cell-clipboard.ts';

const cells: CellDoc[] = [
  { ...createCell('code', 'print(1)', CellId.from('a')), execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }] } as CellDoc,
  createCell('markdown', '# title', CellId.from('b')),
];

function mapStorage(limit = Infinity): ClipboardStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => {
      if (value.length > limit) throw new DOMException('full', 'QuotaExceededError');
      map.set(key, value);
    },
    removeItem: (key) => void map.delete(key),
  };
}

describe('the cell clipboard', () => {
  it('reads back what it wrote, outputs included', () => {
    expect(parseCells(serializeCells(cells))).toEqual(cells);
  });

  it('refuses anything that is not copied cells', () => {
    expect(parseCells(null)).toBeNull();
    expect(parseCells('not json')).toBeNull();
    expect(parseCells(JSON.stringify(cells))).toBeNull();
    expect(parseCells(JSON.stringify({ format: 'cellmate-cells', version: 1, cells: [{ cell_type: 'code', source: 1 }] }))).toBeNull();
  });

  it('is shared through storage: what one tab copies another pastes', () => {
    const storage = mapStorage();
    new CellClipboard(() => storage).write(cells);
    expect(new CellClipboard(() => storage).read()).toEqual(cells);
  });

  it('keeps cells too big for storage for this tab, and an older copy in storage does not win', () => {
    const storage = mapStorage(400);
    const other = new CellClipboard(() => storage);
    other.write([createCell('raw', 'small', CellId.from('s'))]);
    const here = new CellClipboard(() => storage);
    const big = [createCell('code', 'x'.repeat(1000), CellId.from('big'))];
    expect(here.write(big)).toBe(false);
    expect(storage.map.has(CLIPBOARD_KEY)).toBe(false);
    expect(here.read()).toEqual(big);
  });

  it('works without storage at all', () => {
    const clipboard = new CellClipboard(() => null);
    expect(clipboard.read()).toBeNull();
    expect(clipboard.write(cells)).toBe(false);
    expect(clipboard.read()).toEqual(cells);
  });
});
