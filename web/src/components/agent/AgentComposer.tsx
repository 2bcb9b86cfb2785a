import { createEffect, createSignal, on, Show, type JSX } from 'solid-js';
import type { Mentions } from '../../../../server/protocol/agent-context.ts';
import { fetchMentions } from '../../api/agent.ts';
import { agentChips, type ContextChip } from '../../state/agent-chips.ts';
import { useNotebook, type AgentProvider } from '../../state/index.ts';
import { mentionAt, mentionSuggestions } from '../../state/mention-suggestions.ts';
import { Icon } from '../Icon.tsx';
import { ContextChips, MentionMenu } from './ContextChips.tsx';

/**
 * The prompt box: Enter sends, Shift+Enter starts a new line. The text stays until its turn starts, so a prompt
 * the server refuses (a turn already running, the connection gone) is not lost. Stop replaces Send while a
 * turn runs. `@` attaches a file, a variable or a cell (see ContextChips.tsx): the chips above the box go with
 * the prompt, as references the server reads.
 */
export function AgentComposer(props: { provider: AgentProvider }): JSX.Element {
  const nb = useNotebook();
  const [text, setText] = createSignal('');
  let box: HTMLTextAreaElement | undefined;
  const chips = () => agentChips.list(nb.state.path);
  const [mentions, setMentions] = createSignal<Mentions | null>(null);
  const [mention, setMention] = createSignal<{ start: number; query: string } | null>(null);
  const [active, setActive] = createSignal(0);
  const suggestions = () => {
    const current = mention();
    return current ? mentionSuggestions(current.query, mentions(), nb.state.doc?.cells ?? []) : [];
  };
  const lookForMention = () => {
    if (!box) return;
    const found = mentionAt(box.value, box.selectionStart);
    // A new `@` asks the server again: files and variables change as the person works.
    if (found && mention()?.start !== found.start && nb.state.path) {
      fetchMentions(nb.state.path).then(setMentions, () => setMentions(null));
    }
    if (found?.query !== mention()?.query) setActive(0);
    setMention(found);
  };
  const pick = (chip: ContextChip) => {
    const current = mention();
    if (!box || !current || !nb.state.path) return;
    const caret = box.selectionStart;
    setText(`${box.value.slice(0, current.start)}${box.value.slice(caret)}`);
    box.value = text();
    box.setSelectionRange(current.start, current.start);
    agentChips.add(nb.state.path, [chip]);
    setMention(null);
  };
  const isRunning = () => nb.state.agent.running !== null;
  const isConfigured = () => props.provider.status()?.configured === true;
  const blocker = (): string | null => {
    if (nb.state.connection !== 'open' || !nb.state.doc) return 'Not connected to the server.';
    if (props.provider.problem()) return props.provider.problem();
    if (!isConfigured()) return props.provider.status() ? 'Configure a model to ask the assistant.' : 'Checking the model…';
    return null;
  };
  const canSend = () => blocker() === null && !isRunning() && !nb.state.agent.sending && text().trim() !== '';

  // Our prompt's turn started (every tab hears it; only the one that sent it holds the same text): clear the box.
  // Watches the running turn's prompt, which may arrive after the state that says the turn runs.
  createEffect(
    on(
      () => {
        const running = nb.state.agent.running;
        return running ? nb.state.agent.live[running]?.prompt : undefined;
      },
      (prompt) => {
        if (prompt && prompt === text().trim()) {
          setText('');
          agentChips.clear();
        }
      },
      { defer: true },
    ),
  );

  const send = () => {
    if (!canSend()) return;
    const model = props.provider.model();
    const context = chips().map((chip) => chip.ref);
    nb.command({ type: 'agent_prompt', prompt: text().trim(), ...(model ? { model } : {}), ...(context.length > 0 ? { context } : {}) });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (mention() && !event.isComposing) {
      const count = suggestions().length;
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setMention(null);
        return;
      }
      if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && count > 0) {
        event.preventDefault();
        setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
        return;
      }
      const chosen = suggestions()[active()];
      if ((event.key === 'Enter' || event.key === 'Tab') && chosen) {
        event.preventDefault();
        pick(chosen);
        return;
      }
    }
    // isComposing: Enter that confirms an IME composition (Chinese, Japanese…) is not a send.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form
      class="agent-composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <ContextChips chips={chips()} onRemove={(key) => agentChips.remove(key)} />
      <Show when={mention()}>
        <MentionMenu suggestions={suggestions()} active={active()} onPick={pick} />
      </Show>
      <textarea
        ref={box}
        class="agent-input"
        rows={3}
        aria-label="Ask the assistant"
        placeholder="Ask the assistant… (@ attaches a file, variable or cell; Enter to send)"
        value={text()}
        disabled={!isConfigured()}
        onInput={(event) => {
          setText(event.currentTarget.value);
          lookForMention();
        }}
        onClick={lookForMention}
        onBlur={() => setMention(null)}
        onKeyDown={onKeyDown}
      />
      <div class="agent-composer-row">
        <span class="agent-composer-note muted small">{blocker() ?? (nb.state.agent.sending ? 'Sending…' : '')}</span>
        <Show
          when={isRunning()}
          fallback={
            <button type="submit" class="button primary small" aria-label="Send" disabled={!canSend()}>
              <Icon name="play" size={14} /> Send
            </button>
          }
        >
          <button
            type="button"
            class="button danger small"
            aria-label="Stop"
            disabled={nb.state.agent.stopping || nb.state.connection !== 'open'}
            onClick={() => {
              nb.command({ type: 'agent_stop' });
              box?.focus();
            }}
          >
            <Icon name="stop" size={14} /> {nb.state.agent.stopping ? 'Stopping…' : 'Stop'}
          </button>
        </Show>
      </div>
    </form>
  );
}
