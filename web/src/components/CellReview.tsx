import { createEffect, createSignal, on, type JSX } from 'solid-js';
import type { CellId } from '../../../server/protocol/ids.ts';
import { useNotebook, type AgentReview } from '../state/index.ts';

/**
 * The bar over a cell the assistant changed although a person wrote it. The editor below shows the change as a
 * diff; Accept keeps it, Reject puts the previous source back (the server does either, for every tab).
 */
export function CellReview(props: { cellId: CellId; review: AgentReview }): JSX.Element {
  const nb = useNotebook();
  const [sent, setSent] = createSignal(false);
  // A new review (another edit of the assistant) asks again; so does a refusal (it comes as a notice).
  createEffect(on([() => props.review.previousSource, () => nb.state.notice?.id], () => setSent(false), { defer: true }));
  const decide = (decision: 'accept' | 'reject') => {
    if (nb.command({ type: 'agent_review', cell_id: props.cellId, decision })) setSent(true);
  };
  return (
    <div class="cell-review" role="group" aria-label="Review the assistant's change" data-review={props.review.runOnAccept ? 'fix' : 'edit'}>
      <span class="cell-review-text">
        {props.review.runOnAccept
          ? `The assistant${props.review.model ? ` (${props.review.model})` : ''} proposes a fix: accept it to keep it and run the cell.`
          : `The assistant${props.review.model ? ` (${props.review.model})` : ''} changed this cell: review the change.`}
      </span>
      <button type="button" class="button small primary" aria-label="Accept change" disabled={sent()} onClick={() => decide('accept')}>
        Accept
      </button>
      <button type="button" class="button small" aria-label="Reject change" disabled={sent()} onClick={() => decide('reject')}>
        Reject
      </button>
    </div>
  );
}
