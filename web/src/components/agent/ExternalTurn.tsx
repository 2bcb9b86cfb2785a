import { createEffect, createSignal, on, type JSX } from 'solid-js';
import type { ExternalTurn as ExternalTurnState } from '../../../../server/protocol/messages.ts';
import { escapeBidiControls } from '../../../../server/protocol/visible-name.ts';
import { externalChangesText, useNotebook } from '../../state/index.ts';

/**
 * What an agent outside Cellmate (an MCP session) changed in this notebook, while it can be undone: its name,
 * counts that grow as it works, and Undo of all of it in one step (as the badge on its cells offers). It leaves
 * the panel once undone. Stable hooks: `.agent-external[data-external-turn]`, the button "Undo <client>'s changes".
 */
export function ExternalTurn(props: { turn: ExternalTurnState }): JSX.Element {
  const nb = useNotebook();
  // Sent and waiting: the entry goes when the turn leaves `undoable`; a refusal comes as a notice (retry).
  const [isSent, setSent] = createSignal(false);
  createEffect(on(() => nb.state.notice?.id, () => setSent(false), { defer: true }));
  const client = () => escapeBidiControls(props.turn.client);
  const isBlocked = () => nb.state.agent.running !== null;
  const undo = () => {
    if (nb.command({ type: 'agent_undo', turn: props.turn.turn })) setSent(true);
  };
  return (
    <article class="agent-external" data-external-turn={props.turn.turn}>
      <p class="agent-external-text">
        <strong>{client()}</strong> <span class="muted">(via MCP)</span> changed this notebook: {externalChangesText(props.turn)}
      </p>
      <button
        type="button"
        class="button small"
        aria-label={`Undo ${client()}'s changes`}
        title={isBlocked() ? "Wait for the assistant's turn to end" : `Undo everything ${client()} changed in this notebook, in one step`}
        disabled={isSent() || isBlocked()}
        onClick={undo}
      >
        Undo
      </button>
    </article>
  );
}
