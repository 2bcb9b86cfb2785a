import type { JSX } from 'solid-js';
import type { AgentCellMetadata } from '../../../server/protocol/agent.ts';
import { useNotebook } from '../state/index.ts';

/** "AI" on a cell the assistant wrote; the tooltip says with which model and in which turn of the conversation. */
export function CellAgentBadge(props: { author: AgentCellMetadata }): JSX.Element {
  const nb = useNotebook();
  const turnNumber = () => {
    const index = nb.agentTurns().findIndex((turn) => turn.id === props.author.turn);
    return index >= 0 ? `turn ${index + 1}` : `turn ${props.author.turn}`;
  };
  const description = () => `Written by the assistant with ${props.author.model}, ${turnNumber()}`;
  return (
    <span class="cell-agent-badge" title={description()} aria-label={description()}>
      AI
    </span>
  );
}
