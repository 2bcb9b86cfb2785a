import { createEffect, createSignal, on, Show, type JSX } from 'solid-js';
import { useNotebook, type AgentProvider } from '../../state/index.ts';
import { Icon } from '../Icon.tsx';

/**
 * The prompt box: Enter sends, Shift+Enter starts a new line. The text stays until its turn starts, so a prompt
 * the server refuses (a turn already running, the connection gone) is not lost. Stop replaces Send while a
 * turn runs.
 */
export function AgentComposer(props: { provider: AgentProvider }): JSX.Element {
  const nb = useNotebook();
  const [text, setText] = createSignal('');
  let box: HTMLTextAreaElement | undefined;
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
        if (prompt && prompt === text().trim()) setText('');
      },
      { defer: true },
    ),
  );

  const send = () => {
    if (!canSend()) return;
    const model = props.provider.model();
    nb.command({ type: 'agent_prompt', prompt: text().trim(), ...(model ? { model } : {}) });
  };

  const onKeyDown = (event: KeyboardEvent) => {
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
      <textarea
        ref={box}
        class="agent-input"
        rows={3}
        aria-label="Ask the assistant"
        placeholder="Ask the assistant… (Enter to send, Shift+Enter for a new line)"
        value={text()}
        disabled={!isConfigured()}
        onInput={(event) => setText(event.currentTarget.value)}
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
