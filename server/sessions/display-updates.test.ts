import { describe, expect, it } from 'vitest';
import { createCell, CellId, type NotebookDoc, type Output } from '../protocol/index.ts';
import { displayUpdateTargets } from './display-updates.ts';

const display = (text: string, displayId?: string): Output => ({
  output_type: 'display_data',
  data: { 'text/plain': text },
  metadata: {},
  ...(displayId ? { transient: { display_id: displayId } } : {}),
});

function doc(...outputs: Output[][]): NotebookDoc {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: outputs.map((o, i) => {
      const cell = createCell('code', '', CellId.from(`c${i}`));
      return cell.cell_type === 'code' ? { ...cell, outputs: o } : cell;
    }),
  };
}

const update = { displayId: 'p', data: { 'text/plain': '100%' }, metadata: {} };

describe('displayUpdateTargets', () => {
  it('updates the earlier cells showing the display, not the others', () => {
    const nb = doc([display('0%', 'p')], [display('other', 'q')], [display('0%', 'p'), display('plain')]);
    const targets = displayUpdateTargets(nb, update, { pending: () => undefined, skip: () => false });
    expect(targets.map((t) => t.id)).toEqual(['c0', 'c2']);
    expect(targets[1]?.outputs).toEqual([display('100%', 'p'), display('plain')]);
  });

  it('starts from outputs waiting to be sent, and leaves running cells to their output area', () => {
    const nb = doc([display('0%', 'p')], [display('0%', 'p')]);
    const pending = (id: CellId) => (id === 'c0' ? [display('50%', 'p'), display('more')] : undefined);
    const targets = displayUpdateTargets(nb, update, { pending, skip: (id) => id === 'c1' });
    expect(targets).toEqual([{ id: 'c0', outputs: [display('100%', 'p'), display('more')] }]);
  });
});
