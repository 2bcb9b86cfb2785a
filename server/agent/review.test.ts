import { describe, expect, it } from 'vitest';
import { CellId, createCell, type JSONObject } from '../protocol/index.ts';
import { isAgentCell, metadataWithoutReview, metadataWithReview, reviewOf } from './review.ts';

const cell = (source: string, metadata: JSONObject = {}) => ({ ...createCell('code', source, CellId.from('c1')), metadata });

describe('cell review marks', () => {
  it('opens a review holding the person’s source, and keeps it over later agent edits', () => {
    const mine = cell('x = 1', { tags: ['keep'], cellmate: { note: 'mine' } });
    const first = metadataWithReview(mine, 'x = 2', 't1', 'm');
    expect(first).toEqual({ tags: ['keep'], cellmate: { note: 'mine', review: { previous_source: 'x = 1', turn: 't1', model: 'm' } } });
    const again = metadataWithReview(cell('x = 2', first), 'x = 3', 't2', 'm');
    expect(reviewOf(cell('x = 3', again))).toEqual({ previous_source: 'x = 1', turn: 't2', model: 'm' });
  });

  it('closes the review when the agent puts the person’s source back', () => {
    const reviewed = cell('x = 2', metadataWithReview(cell('x = 1'), 'x = 2', 't1', 'm'));
    expect(metadataWithReview(reviewed, 'x = 1', 't2', 'm')).toEqual({});
  });

  it('removes only the mark, and reads malformed marks as none', () => {
    expect(metadataWithoutReview(cell('x', { a: 1, cellmate: { review: { previous_source: '', turn: 't' }, b: 2 } }))).toEqual({ a: 1, cellmate: { b: 2 } });
    expect(reviewOf(cell('x', { cellmate: { review: { previous_source: 3, turn: 't' } } }))).toBeNull();
    expect(reviewOf(cell('x', { cellmate: 'odd' }))).toBeNull();
    expect(isAgentCell(cell('x', { cellmate: { author: 'agent' } }))).toBe(true);
    expect(isAgentCell(cell('x'))).toBe(false);
  });
});
