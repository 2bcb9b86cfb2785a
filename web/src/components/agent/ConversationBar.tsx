/**
 * The notebook's conversations with the assistant: which one is open (select "Conversation"), a new one, rename
 * and delete, and the tokens and cost of this conversation and of the whole notebook. Stable hooks for tests:
 * `.agent-conversations` with the select "Conversation", buttons "New conversation", "Rename conversation",
 * "Delete conversation"; totals in `.agent-totals` (`data-scope` = conversation|notebook), the price table behind
 * them behind the button "Prices" (PricesButton.tsx).
 */
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import { conversationsFromMetadata } from '../../../../server/protocol/conversations.ts';
import { changeConversation, deleteConversation, newConversation } from '../../api/assistant.ts';
import { conversationOptions, formatTotals, usageTotals, usePrices, useNotebook } from '../../state/index.ts';
import { Dialog } from '../files/Dialog.tsx';
import { Icon } from '../Icon.tsx';
import { PricesButton } from './PricesButton.tsx';

/** `aside`: shown at the end of the totals line (the panel puts the ghost-text setting there). */
export function ConversationBar(props: { aside?: JSX.Element }): JSX.Element {
  const nb = useNotebook();
  const prices = usePrices();
  const state = createMemo(() => conversationsFromMetadata(nb.state.doc?.metadata ?? {}));
  const options = createMemo(() => conversationOptions(state()));
  const activeTitle = () => options().find((o) => o.id === state().active)?.title ?? '';
  const totals = createMemo(() => {
    const table = prices();
    return table ? { ...usageTotals(state(), table), currency: table.currency } : null;
  });
  const [dialog, setDialog] = createSignal<'rename' | 'delete' | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const isRunningHere = () => nb.state.agent.running !== null;

  return (
    <div class="agent-conversations">
      <div class="agent-conversation-row">
        <select
          aria-label="Conversation"
          title="Conversations kept in this notebook"
          disabled={busy() || options().length === 0}
          onChange={(event) => {
            const id = event.currentTarget.value;
            if (id && id !== state().active) void act(() => changeConversation(nb.state.path, id, { active: true }));
          }}
        >
          <Show when={options().length === 0}>
            <option value="">New conversation</option>
          </Show>
          {/* `selected` on the option, not `value` on the select: options added after the value was set keep it right. */}
          <For each={options()}>
            {(option) => (
              <option value={option.id} selected={option.id === state().active}>
                {option.title}
              </option>
            )}
          </For>
        </select>
        <button type="button" class="icon-button" aria-label="New conversation" title="Start a new conversation" disabled={busy()} onClick={() => void act(() => newConversation(nb.state.path))}>
          <Icon name="plus" />
        </button>
        <button type="button" class="icon-button" aria-label="Rename conversation" title="Rename this conversation" disabled={busy() || !state().active} onClick={() => setDialog('rename')}>
          <Icon name="rename" />
        </button>
        <button
          type="button"
          class="icon-button"
          aria-label="Delete conversation"
          title="Delete this conversation from the notebook"
          disabled={busy() || !state().active || isRunningHere()}
          onClick={() => setDialog('delete')}
        >
          <Icon name="trash" />
        </button>
      </div>
      <div class="agent-totals-row">
        <Show when={totals()} fallback={<span />}>
          {(t) => (
            <p class="agent-totals-line muted small" title="Costs come from the price table (Prices); a model without a price shows tokens only">
              <span class="agent-totals" data-scope="conversation" title="This conversation">
                {formatTotals(t().conversation, t().currency)}
              </span>
              <Show when={state().conversations.length > 1}>
                {' · notebook: '}
                <span class="agent-totals" data-scope="notebook" title="Every conversation of this notebook">
                  {formatTotals(t().notebook, t().currency)}
                </span>
              </Show>
            </p>
          )}
        </Show>
        <PricesButton />
        {props.aside}
      </div>
      <Show when={problem()}>
        <p class="agent-error" role="alert">
          {problem()}
        </p>
      </Show>
      <Show when={dialog() === 'rename' && state().active}>
        {(id) => (
          <Dialog
            title="Rename conversation"
            inputLabel="Name"
            initialValue={activeTitle()}
            confirmLabel="Rename"
            onConfirm={(title) => changeConversation(nb.state.path, id(), { title })}
            onClose={() => setDialog(null)}
          />
        )}
      </Show>
      <Show when={dialog() === 'delete' && state().active}>
        {(id) => (
          <Dialog
            title="Delete conversation"
            message={`Delete “${activeTitle()}” from this notebook? The cells it wrote stay.`}
            confirmLabel="Delete"
            isDanger
            onConfirm={() => deleteConversation(nb.state.path, id())}
            onClose={() => setDialog(null)}
          />
        )}
      </Show>
    </div>
  );
}
