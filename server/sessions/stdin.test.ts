import { describe, expect, it } from 'vitest';
import { CellId } from '../protocol/index.ts';
import type { InputRequest } from '../kernels/types.ts';
import { PendingInputs } from './stdin.ts';

const id = CellId.from('c1');

function host(tabs: number) {
  const shown: (InputRequest | undefined)[] = [];
  return { shown, hasTabs: () => tabs > 0, show: (_id: CellId, request: InputRequest | undefined) => shown.push(request) };
}

describe('PendingInputs', () => {
  it('shows the request and resolves with the first answer', async () => {
    const h = host(1);
    const inputs = new PendingInputs(h);
    const answer = inputs.ask(id, { prompt: 'Name? ', password: false });
    expect(h.shown).toEqual([{ prompt: 'Name? ', password: false }]);
    expect(inputs.answer(id, 'Ada')).toBe(true);
    expect(inputs.answer(id, 'late')).toBe(false);
    expect(await answer).toBe('Ada');
    expect(h.shown.at(-1)).toBeUndefined();
  });

  it('answers EOF at once when no tab could answer, and when the last tab leaves', async () => {
    expect(await new PendingInputs(host(0)).ask(id, { prompt: '', password: false })).toBeNull();
    const inputs = new PendingInputs(host(1));
    const answer = inputs.ask(id, { prompt: '', password: true });
    inputs.cancelAll();
    expect(await answer).toBeNull();
  });

  it('forgets the request of a cell that ended', async () => {
    const inputs = new PendingInputs(host(1));
    const answer = inputs.ask(id, { prompt: '', password: false });
    inputs.cancel(id);
    expect(await answer).toBeNull();
    expect(inputs.answer(id, 'x')).toBe(false);
  });
});
