import { describe, expect, it } from 'vitest';
import { createCell } from '../../../server/protocol/notebook.ts';
import { CellId } from '../../../server/protocol/ids.ts';
import { mentionAt, mentionSuggestions } from './mention-suggestions.ts';

describe('mentions', () => {
  it('finds the mention the caret is in, only after a space or at the start', () => {
    expect(mentionAt('look at @sal', 12)).toEqual({ start: 8, query: 'sal' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('mail me@example', 15)).toBeNull();
    expect(mentionAt('@sales done', 11)).toBeNull();
  });

  it('offers files, variables and cells by number', () => {
    const cells = [createCell('code', 'import pandas as pd', CellId.create()), createCell('code', 'sales.head()', CellId.create())];
    const mentions = {
      files: [
        { path: 'data/sales.csv', name: 'sales.csv', size: 2048, kind: 'file' as const },
        { path: 'data/old', name: 'old', size: 0, kind: 'directory' as const },
      ],
      variables: [{ name: 'sales', type: 'pandas.DataFrame', summary: 'shape (3, 2)' }],
      variables_status: 'ok' as const,
    };
    expect(mentionSuggestions('sal', mentions, cells).map((c) => [c.ref.kind, c.label, c.detail])).toEqual([
      ['file', 'sales.csv', '2.0 kB'],
      ['variable', 'sales', 'pandas.DataFrame shape (3, 2)'],
      ['cell', 'cell 2', 'sales.head()'],
    ]);
    expect(mentionSuggestions('2', mentions, cells)[0]).toMatchObject({ ref: { kind: 'cell', id: cells[1]!.id }, label: 'cell 2' });
    expect(mentionSuggestions('old', mentions, cells)).toEqual([]);
  });
});
