import { describe, expect, it } from 'vitest';
import { CellId } from '../../../server/protocol/ids.ts';
import { selectionRange, stepHead } from './cell-selection.ts';

const cells = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id: CellId.from(id) }));
const id = CellId.from;
const range = (anchor: string | null, head: string | null) => selectionRange(cells, anchor === null ? null : id(anchor), head === null ? null : id(head)).join(' ');

describe('a selection of several cells', () => {
  it('runs from the anchor to the head in document order, whichever way it was extended', () => {
    expect(range('b', 'd')).toBe('b c d');
    expect(range('d', 'b')).toBe('b c d');
    expect(range('a', 'e')).toBe('a b c d e');
  });

  it('is the head alone without an anchor, or when the anchor is gone', () => {
    expect(range(null, 'c')).toBe('c');
    expect(range('c', 'c')).toBe('c');
    expect(range('gone', 'c')).toBe('c');
  });

  it('is empty when the head is gone or there is none', () => {
    expect(range('a', 'gone')).toBe('');
    expect(range(null, null)).toBe('');
  });

  it('moves its head one cell at a time, stopping at the ends', () => {
    expect(stepHead(cells, id('c'), 1)).toBe('d');
    expect(stepHead(cells, id('e'), 1)).toBe('e');
    expect(stepHead(cells, id('a'), -1)).toBe('a');
    expect(stepHead(cells, null, 1)).toBe('a');
    expect(stepHead(cells, null, -1)).toBe('e');
    expect(stepHead([], null, 1)).toBe(null);
  });
});
