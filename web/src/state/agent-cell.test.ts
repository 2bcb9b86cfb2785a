import { describe, expect, it } from 'vitest';
import { agentCellInfo } from './agent-cell.ts';

describe('agentCellInfo', () => {
  it('names an agent outside Cellmate (an MCP client) that wrote the cell', () => {
    const marks = { author: 'agent', turn: 't1', model: 'Claude Code', client: 'Claude Code' };
    expect(agentCellInfo({ cellmate: marks }).author).toEqual(marks);
    expect(agentCellInfo({ cellmate: { ...marks, client: 3 } }).author).toEqual({ author: 'agent', turn: 't1', model: 'Claude Code' });
  });

  it('reads who wrote the cell and a pending review', () => {
    expect(agentCellInfo({ cellmate: { author: 'agent', turn: 't1', model: 'm' }, tags: [] })).toEqual({
      author: { author: 'agent', turn: 't1', model: 'm' },
      review: null,
    });
    expect(agentCellInfo({ cellmate: { review: { previous_source: 'x = 1', turn: 't2', model: 'm' } } })).toEqual({
      author: null,
      review: { previousSource: 'x = 1', turn: 't2', model: 'm', runOnAccept: false },
    });
    expect(agentCellInfo({ cellmate: { review: { previous_source: '', turn: 't2' } } }).review).toEqual({ previousSource: '', turn: 't2', model: null, runOnAccept: false });
  });

  it('ignores whatever else the metadata holds', () => {
    const none = { author: null, review: null };
    expect(agentCellInfo({})).toEqual(none);
    expect(agentCellInfo({ cellmate: 'agent' })).toEqual(none);
    expect(agentCellInfo({ cellmate: { author: 'person', turn: 't', model: 'm', review: { previous_source: 1, turn: 't' } } })).toEqual(none);
    expect(agentCellInfo({ cellmate: { author: 'agent', turn: 3, model: 'm' } })).toEqual(none);
  });
});
