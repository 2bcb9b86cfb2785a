import { describe, expect, it } from 'vitest';
import { attachedNames } from './agent-context.ts';
import { CellId } from './ids.ts';

describe('attached names', () => {
  it("names files by their name, variables by theirs and cells by their number, as the composer's chips do", () => {
    const refs = [
      { kind: 'file', path: 'data/visits.csv' },
      { kind: 'variable', name: 'df' },
      { kind: 'cell', id: CellId.from('b') },
      { kind: 'cell', id: CellId.from('gone') },
    ] as const;
    expect(attachedNames(refs, ['a', 'b'])).toEqual([
      { kind: 'file', name: 'visits.csv' },
      { kind: 'variable', name: 'df' },
      { kind: 'cell', name: 'cell 2' },
      { kind: 'cell', name: 'a cell' },
    ]);
  });
});
