import { describe, expect, it } from 'vitest';
import { CellId } from '../../../server/protocol/ids.ts';
import { errorHint, externalChangesText, formatUsage, stepLabel, stopReasonText } from './agent-labels.ts';
import type { TurnStep } from './agent-turns.ts';

const step = (change: Partial<TurnStep>): TurnStep => ({
  kind: 'step',
  key: 'k',
  callId: 'c',
  name: 'run_cell',
  args: null,
  argsText: '',
  status: 'running',
  summary: null,
  cellId: null,
  ...change,
});
const positions = new Map([['ab12', 3]]);
const numberOf = (id: CellId) => positions.get(id) ?? null;

describe('stepLabel', () => {
  it('names the cell by its position, from the live arguments or the saved short form', () => {
    expect(stepLabel(step({ args: { id: 'ab12' } }), numberOf)).toEqual({ text: 'Running cell [3]', cellId: 'ab12', inProgress: true });
    expect(stepLabel(step({ name: 'edit_cell', status: 'ok', argsText: 'id="ab12", source="x = 1"' }), numberOf).text).toBe('Edited cell [3]');
    expect(stepLabel(step({ name: 'add_cell', status: 'ok', summary: 'added cell ab12' }), numberOf).text).toBe('Added cell [3]');
    expect(stepLabel(step({ name: 'add_cell', status: 'writing' }), numberOf)).toMatchObject({ text: 'Adding a cell', cellId: null });
  });

  it('says "a cell" when the cell is gone, and keeps the -ing words for a step cut short', () => {
    expect(stepLabel(step({ name: 'delete_cell', status: 'ok', cellId: CellId.from('gone') }), numberOf)).toMatchObject({ text: 'Deleted a cell', cellId: null });
    expect(stepLabel(step({ status: 'cancelled', cellId: CellId.from('ab12') }), numberOf)).toMatchObject({ text: 'Running cell [3]', inProgress: false });
  });

  it('words the notebook-wide tools and unknown ones', () => {
    expect(stepLabel(step({ name: 'read_notebook' }), numberOf).text).toBe('Reading the notebook');
    expect(stepLabel(step({ name: 'inspect_variables', status: 'ok' }), numberOf).text).toBe('Looked at variables');
    expect(stepLabel(step({ name: 'search_web', status: 'error' }), numberOf).text).toBe('Used search_web');
  });
});

describe('turn words', () => {
  it('formats usage and explains endings', () => {
    expect(formatUsage({ prompt_tokens: 12345, completion_tokens: 67, total_tokens: 12412 })).toBe('12,345 prompt · 67 completion tokens');
    expect(errorHint('auth')).toContain('OPENAI_API_KEY');
    expect(errorHint('rate_limited')).toBeNull();
    expect(stopReasonText('aborted')).toBe('Stopped.');
    expect(stopReasonText('error')).toBeNull();
  });

  it('says what an agent outside Cellmate changed, the noun with the first count', () => {
    expect(externalChangesText({ added: 2, edited: 1, deleted: 0 })).toBe('added 2 cells, edited 1');
    expect(externalChangesText({ added: 0, edited: 1, deleted: 3 })).toBe('edited 1 cell, deleted 3');
    expect(externalChangesText({ added: 0, edited: 0, deleted: 0 })).toBe('changed nothing yet');
  });
});
