import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../server/protocol/agent.ts';
import { CellId } from '../../../server/protocol/ids.ts';
import { turnsFromConversation } from './agent-turns.ts';
import { agentOnEvent, agentOnSnapshot, agentOnState, emptyAgentView, visibleTurns, type AgentView } from './agent-view.ts';

const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
const start = (turn: string): AgentEvent => ({ type: 'turn_start', turn, model: 'm', prompt: `prompt ${turn}` });
const done = (turn: string): AgentEvent => ({ type: 'done', turn, reply: '', cells_changed: [], usage });
const apply = (view: AgentView, events: AgentEvent[]) => events.reduce(agentOnEvent, view);

describe('agent view', () => {
  it('tracks the running turn and what was sent', () => {
    let view = { ...emptyAgentView(), sending: true };
    view = apply(view, [start('t1'), { type: 'text_delta', turn: 't1', text: 'Hi' }]);
    expect(view).toMatchObject({ running: 't1', sending: false, liveOrder: ['t1'] });
    view = apply({ ...view, stopping: true }, [done('t1')]);
    expect(view).toMatchObject({ running: null, stopping: false });
    expect(view.live['t1']!.state).toBe('done');
  });

  it('follows the cell the assistant works on', () => {
    const view = apply(emptyAgentView(), [
      start('t1'),
      { type: 'tool_call', turn: 't1', call_id: 'c', name: 'run_cell', args: { id: 'abc' } },
      { type: 'cell_changed', turn: 't1', cell_id: CellId.from('abc'), change: 'ran' },
    ]);
    expect(view.focus).toEqual({ cellId: 'abc', seq: 2 });
    expect(apply(view, [{ type: 'cell_changed', turn: 't1', cell_id: CellId.from('abc'), change: 'deleted' }]).focus?.seq).toBe(2);
  });

  it('rebuilds a turn already running from the snapshot, and drops a turn that ended while away', () => {
    const away = apply(emptyAgentView(), [start('t0'), done('t0'), start('t1')]);
    const view = agentOnSnapshot(away, { running: { turn: 't2', events: [start('t2'), { type: 'text_delta', turn: 't2', text: 'so far' }] }, undoable: ['t0'] });
    expect(view.liveOrder).toEqual(['t0', 't2']);
    expect(view).toMatchObject({ running: 't2', undoable: ['t0'] });
    expect(view.live['t2']!.items).toMatchObject([{ kind: 'text', text: 'so far' }]);
  });

  it('takes the undoable turns from agent_state, and a running turn it had not heard of', () => {
    const view = agentOnState(emptyAgentView(), { running: { turn: 't3', events: [start('t3')] }, undoable: ['t1', 't2'] });
    expect(view).toMatchObject({ running: 't3', undoable: ['t1', 't2'], liveOrder: ['t3'] });
    expect(agentOnState({ ...view, stopping: true }, { undoable: ['t1'] })).toMatchObject({ running: null, stopping: false });
  });

  it('shows saved turns in order, live ones in their place, unsaved live ones last', () => {
    const saved = turnsFromConversation([
      { kind: 'user', turn: 't1', text: 'saved one' },
      { kind: 'turn_end', turn: 't1', usage, cells_changed: [] },
      { kind: 'user', turn: 't2', text: 'saved two' },
      { kind: 'turn_end', turn: 't2', usage, cells_changed: [] },
    ]);
    const view = apply(emptyAgentView(), [start('t3'), start('t1')]);
    expect(visibleTurns(saved, view).map((turn) => `${turn.id}:${turn.prompt}`)).toEqual(['t1:prompt t1', 't2:saved two', 't3:prompt t3']);
  });
});
