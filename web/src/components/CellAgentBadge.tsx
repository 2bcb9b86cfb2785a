import { Show, type JSX } from 'solid-js';
import type { AgentCellMetadata } from '../../../server/protocol/agent.ts';
import { useNotebook } from '../state/index.ts';

/**
 * "AI" on a cell an agent wrote; the tooltip says which: the assistant, with which model and in which turn of the
 * conversation, or an agent outside Cellmate by the name its MCP client gave. Such an agent's turn shows in
 * the assistant's panel only as a one-line entry (ExternalTurn.tsx), so its Undo (everything that MCP session changed
 * in the notebook, in one step) is offered on its cells too while the server can still undo it.
 */
export function CellAgentBadge(props: { author: AgentCellMetadata }): JSX.Element {
  const nb = useNotebook();
  const turnNumber = () => {
    const index = nb.agentTurns().findIndex((turn) => turn.id === props.author.turn);
    return index >= 0 ? `turn ${index + 1}` : `turn ${props.author.turn}`;
  };
  const description = () =>
    props.author.client === undefined
      ? `Written by the assistant with ${props.author.model}, ${turnNumber()}`
      : `Written by ${props.author.client}, an agent outside Cellmate (over MCP)`;
  const canUndo = () => props.author.client !== undefined && nb.state.agent.running === null && nb.state.agent.undoable.includes(props.author.turn);
  return (
    <>
      <span class="cell-agent-badge" title={description()} aria-label={description()}>
        AI
      </span>
      <Show when={canUndo()}>
        <button
          type="button"
          class="cell-agent-undo"
          title={`Undo everything ${props.author.client} changed in this notebook`}
          aria-label={`Undo ${props.author.client}'s changes`}
          onClick={() => nb.command({ type: 'agent_undo', turn: props.author.turn })}
        >
          Undo
        </button>
      </Show>
    </>
  );
}
