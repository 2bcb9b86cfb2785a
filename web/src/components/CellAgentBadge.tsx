import type { JSX } from 'solid-js';
import type { AgentCellMetadata } from '../../../server/protocol/agent.ts';
import { useNotebook } from '../state/index.ts';

/**
 * "AI" on a cell an agent wrote; the tooltip says which: the assistant, with which model and in which turn of the
 * conversation, or an agent outside Cellmate by the name its MCP client gave.
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
  return (
    <span class="cell-agent-badge" title={description()} aria-label={description()}>
      AI
    </span>
  );
}
