/**
 * The chat panel beside the notebook. Stable hooks for end-to-end tests — keep them in sync with tests/e2e:
 * - panel: `[data-panel="agent"]` with `data-open` = true|false; collapsed, it shows the button "Open assistant"
 *   (and "Hide assistant" when open); the resize handle is the separator "Resize assistant panel"
 * - prompt: the textbox labelled "Ask the assistant" (Enter sends, Shift+Enter for a new line)
 * - buttons by aria-label: "Send", "Stop" (while a turn runs), "Undo turn" (per undoable turn); selects "Model" and
 *   "Inline completion" (off | fim | chat)
 * - each turn: `[data-turn-id]` with `data-turn-state` = running|done|stopped|error; its prompt `.agent-prompt`,
 *   reply text `.agent-reply` (one per stretch of text between steps), steps `.agent-step[data-tool]` with
 *   `data-status` = writing|running|ok|error|cancelled, usage `.agent-usage`, error `.agent-error`
 * - conversations: ConversationBar.tsx; project rules: RulesButton.tsx; a turn's "What was sent": SentView.tsx
 * - without a model: `.agent-setup` with the server's help and buttons "Use <server> · <model>"
 * - in the notebook: agent cells carry `.cell-agent-badge`; a cell under review shows `.cell-review` with the
 *   buttons "Accept change" and "Reject change" (`data-review="fix"` for a proposed fix, which runs on accept)
 * - one click, in a cell's toolbar: "Fix cell" (a cell whose output is an error), "Explain cell", "Ask about this"
 * - an MCP client's undoable turn: `.agent-external[data-external-turn]` (ExternalTurn.tsx)
 * - attached context: chips `.agent-chip[data-chip-kind]` in the list "Attached to the prompt", each with the
 *   button "Remove <label>"; typing `@` opens the listbox "Attach" (options `.agent-mention`); a sent turn lists
 *   what its prompt attached in the list "Attached" (names only, same chips without the button)
 */
import { createEffect, For, on, onMount, Show, type JSX } from 'solid-js';
import { createAgentProvider, useNotebook } from '../../state/index.ts';
import { agentChips } from '../../state/agent-chips.ts';
import { Icon } from '../Icon.tsx';
import { AgentComposer } from './AgentComposer.tsx';
import { AgentSetup } from './AgentSetup.tsx';
import { AgentTurn } from './AgentTurn.tsx';
import { ConversationBar } from './ConversationBar.tsx';
import { ExternalTurn } from './ExternalTurn.tsx';
import { RulesButton } from './RulesButton.tsx';
import { ModelPicker } from './ModelPicker.tsx';
import { InlineCompletionPicker } from './InlineCompletionPicker.tsx';
import { PanelResizer } from './PanelResizer.tsx';
import type { PanelLayout } from './panel-layout.ts';

/** How close to the bottom (px) still counts as "following" the conversation. */
const FOLLOW_SLACK = 48;

export function AgentPanel(props: { layout: PanelLayout }): JSX.Element {
  const nb = useNotebook();
  const provider = createAgentProvider();
  onMount(() => void provider.refresh());
  let list: HTMLDivElement | undefined;
  let following = true;

  const turns = () => nb.agentTurns();
  const status = () => provider.status();
  const configHelp = () => status()?.help ?? null;

  // An error that configuration can fix: read the status again, so the panel shows how (or that it is fixed).
  createEffect(
    on(
      () => turns().at(-1)?.error?.code,
      (code) => {
        if (code === 'not_configured' || code === 'auth') void provider.refresh();
      },
      { defer: true },
    ),
  );

  // "Ask about this", "Explain", "Fix" on a cell: the panel opens, its prompt focused.
  createEffect(
    on(
      () => agentChips.openRequests(),
      () => {
        props.layout.setOpen(true);
        requestAnimationFrame(() => document.querySelector<HTMLTextAreaElement>('.agent-panel .agent-input')?.focus());
      },
      { defer: true },
    ),
  );

  // Keep the cell the assistant works on in sight (the notebook scrolls, the panel stays).
  createEffect(
    on(
      () => nb.state.agent.focus,
      (focus) => {
        if (!focus || nb.state.agent.running === null) return;
        requestAnimationFrame(() => {
          const cell = document.querySelector(`[data-cell-id="${CSS.escape(focus.cellId)}"]`);
          cell?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        });
      },
      { defer: true },
    ),
  );

  // Follow the conversation as it grows, unless the person scrolled up to read.
  createEffect(() => {
    const last = turns().at(-1);
    const lastItem = last?.items.at(-1);
    // Subscribes to what grows: the turns, the last turn's state and items, the text streaming in.
    void [turns().length, last?.state, last?.items.length, lastItem?.kind === 'text' ? lastItem.text : lastItem?.status];
    // In the next frame, once laid out: reading the height now would lay out the page in the middle of an update
    // (a notebook opening would pay for it twice).
    requestAnimationFrame(() => {
      if (list && following) list.scrollTop = list.scrollHeight;
    });
  });
  const onScroll = () => {
    if (list) following = list.scrollHeight - list.scrollTop - list.clientHeight < FOLLOW_SLACK;
  };

  return (
    <Show
      when={props.layout.isOpen()}
      fallback={
        <aside class="agent-panel is-collapsed" data-panel="agent" data-open="false">
          <button type="button" class="agent-open" aria-label="Open assistant" aria-expanded="false" onClick={() => props.layout.setOpen(true)}>
            <Icon name="chat" /> <span>Assistant</span>
          </button>
        </aside>
      }
    >
      <aside class="agent-panel" data-panel="agent" data-open="true" aria-label="Assistant" style={{ width: `${props.layout.width()}px` }}>
        <PanelResizer layout={props.layout} />
        <header class="agent-header">
          <h2>Assistant</h2>
          <RulesButton />
          <Show when={status()?.configured}>
            <ModelPicker provider={provider} />
          </Show>
          <button type="button" class="icon-button" aria-label="Hide assistant" aria-expanded="true" title="Hide the assistant" onClick={() => props.layout.setOpen(false)}>
            <Icon name="collapse" />
          </button>
        </header>
        <ConversationBar
          aside={
            <Show when={status()?.configured}>
              <InlineCompletionPicker />
            </Show>
          }
        />
        <div class="agent-scroll" ref={list} onScroll={onScroll}>
          <Show when={provider.problem()}>
            {(problem) => (
              <div class="agent-error" role="alert">
                <p>{problem()}</p>
                <button type="button" class="button small" disabled={provider.busy()} onClick={() => void provider.refresh()}>
                  Try again
                </button>
              </div>
            )}
          </Show>
          <Show when={status()?.configured === false && status()}>{(current) => <AgentSetup provider={provider} status={current()} />}</Show>
          <Show when={turns().length === 0 && status()?.configured}>
            <p class="agent-empty muted">
              Ask in plain words: the assistant writes cells, runs them, reads what comes out, fixes what fails and explains what it found.
            </p>
          </Show>
          <div class="agent-turns" role="log" aria-label="Conversation">
            <For each={turns()}>{(turn) => <AgentTurn turn={turn} configHelp={configHelp()} />}</For>
          </div>
          <div class="agent-externals" aria-label="Agents outside Cellmate">
            <For each={nb.state.agent.external}>{(turn) => <ExternalTurn turn={turn} />}</For>
          </div>
        </div>
        <AgentComposer provider={provider} />
      </aside>
    </Show>
  );
}
