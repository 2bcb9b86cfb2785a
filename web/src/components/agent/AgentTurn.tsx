import { createEffect, createMemo, createSignal, For, Match, on, Show, Switch, type JSX } from 'solid-js';
import { escapeBidiControls } from '../../../../server/protocol/visible-name.ts';
import { renderMarkdown } from '../../render/markdown.ts';
import { mathRenderer } from '../../render/math-loader.ts';
import { errorHint, formatUsage, stopReasonText, turnCost, useNotebook, usePrices, type TurnText, type TurnView } from '../../state/index.ts';
import { AgentStep } from './AgentStep.tsx';
import { SentView } from './SentView.tsx';

/** A stretch of the reply, as markdown through the app's sanitizer (no script, links open in a new tab). */
function AgentReply(props: { item: TurnText }): JSX.Element {
  const html = createMemo(() => renderMarkdown(props.item.text, undefined, mathRenderer(props.item.text)));
  return <div class="agent-reply markdown-body" innerHTML={html()} />;
}

/**
 * One turn: the person's prompt, then the reply and the steps in the order they happened, the error or the
 * reason it stopped, its token usage, and Undo while the server can still undo it. See AgentPanel.tsx for
 * the stable selectors.
 */
export function AgentTurn(props: { turn: TurnView; configHelp: string | null }): JSX.Element {
  const nb = useNotebook();
  // Undo waits for the server's answer: the turn leaves `undoable` (done), or a refusal arrives as a notice (retry).
  const [undo, setUndo] = createSignal<'idle' | 'sent' | 'done'>('idle');
  const isRunning = () => props.turn.state === 'running';
  const canUndo = () => !isRunning() && nb.state.agent.undoable.includes(props.turn.id);
  createEffect(on(canUndo, (can) => undo() === 'sent' && setUndo(can ? 'idle' : 'done'), { defer: true }));
  createEffect(on(() => nb.state.notice?.id, () => undo() === 'sent' && setUndo('idle'), { defer: true }));
  // Between steps the model is writing its next move, which shows nowhere else.
  const isThinking = () => {
    const last = props.turn.items.at(-1);
    return isRunning() && (!last || (last.kind === 'step' && (last.status === 'ok' || last.status === 'error')));
  };
  const hint = () => errorHint(props.turn.error?.code ?? null);
  const prices = usePrices();
  const cost = () => turnCost(props.turn.usage, props.turn.model, props.turn.unreportedUsage, prices());
  const [isSentOpen, setSentOpen] = createSignal(false);

  const sendUndo = () => {
    if (nb.command({ type: 'agent_undo', turn: props.turn.id })) setUndo('sent');
  };

  return (
    <article class="agent-turn" data-turn-id={props.turn.id} data-turn-state={props.turn.state} aria-busy={isRunning()}>
      <Show when={props.turn.prompt}>
        <p class="agent-prompt">{props.turn.prompt}</p>
      </Show>
      <Show when={props.turn.attached.length > 0}>
        <ul class="agent-chips agent-sent-chips" aria-label="Attached">
          <For each={props.turn.attached}>
            {(item) => (
              <li class="agent-chip" data-chip-kind={item.kind}>
                <span class="agent-chip-label">{escapeBidiControls(item.name)}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="agent-items">
        <For each={props.turn.items}>
          {(item) => (
            <Switch>
              <Match when={item.kind === 'text' && item}>{(text) => <AgentReply item={text()} />}</Match>
              <Match when={item.kind === 'step' && item}>{(step) => <AgentStep step={step()} />}</Match>
            </Switch>
          )}
        </For>
        <Show when={isThinking()}>
          <p class="agent-thinking muted">
            <span class="spinner" aria-hidden="true" /> Thinking…
          </p>
        </Show>
      </div>
      <Show when={props.turn.error}>
        {(error) => (
          <div class="agent-error" role="alert">
            <p>{escapeBidiControls(error().message)}</p>
            <Show when={hint()}>
              <p class="agent-hint">
                {hint()} {props.configHelp ?? ''}
              </p>
            </Show>
          </div>
        )}
      </Show>
      <Show when={stopReasonText(props.turn.stopReason)}>{(text) => <p class="agent-stopped muted">{text()}</p>}</Show>
      <Show when={props.turn.usage || canUndo() || undo() === 'done' || !isRunning()}>
        <footer class="agent-turn-footer">
          <Show when={props.turn.usage}>
            {(usage) => (
              <span class="agent-usage" title={`${usage().total_tokens.toLocaleString('en-US')} tokens${props.turn.model ? ` with ${props.turn.model}` : ''}${cost() ? '' : ' (no price known for this model)'}`}>
                {props.turn.unreportedUsage > 0 ? '≥ ' : ''}
                {formatUsage(usage())}
                <Show when={cost()}>{(text) => <span class="agent-cost"> · {text()}</span>}</Show>
              </span>
            )}
          </Show>
          <button type="button" class="button small link" aria-label="What was sent" title="Exactly what this turn sent to the model" onClick={() => setSentOpen(true)}>
            Sent
          </button>
          <Show when={isSentOpen()}>
            <SentView path={nb.state.path} turn={props.turn.id} onClose={() => setSentOpen(false)} />
          </Show>
          <Show when={canUndo()}>
            <button
              type="button"
              class="button small"
              aria-label="Undo turn"
              title="Put the cells back as they were before this turn"
              disabled={undo() === 'sent'}
              onClick={sendUndo}
            >
              Undo
            </button>
          </Show>
          <Show when={undo() === 'done'}>
            <span class="agent-undone muted small">Undone</span>
          </Show>
        </footer>
      </Show>
    </article>
  );
}
