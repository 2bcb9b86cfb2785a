import { Match, Switch, type JSX } from 'solid-js';
import { followLink, homeHref } from '../router/index.ts';
import { useNotebook } from '../state/index.ts';

/** Ends a server message with a full stop so the hint after it reads as a second sentence. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

/** Says when this tab is not in touch with the server, and what happens to the changes made meanwhile. */
export function ConnectionBanner(): JSX.Element {
  const nb = useNotebook();
  const pending = () => nb.state.pendingEdits;
  const pendingText = () =>
    pending() === 0 ? '' : ` ${pending()} unsent change${pending() === 1 ? '' : 's'} will be sent when the connection is back.`;
  return (
    <Switch>
      <Match when={nb.state.connection === 'reconnecting' || (nb.state.connection === 'connecting' && nb.state.doc)}>
        <div class="banner warning" role="status" data-banner="reconnecting">
          <span class="spinner" aria-hidden="true" />
          <span>
            Reconnecting…{pendingText()}
          </span>
          <button type="button" class="button small" onClick={() => nb.reconnect()}>
            Reconnect now
          </button>
        </div>
      </Match>
      <Match when={nb.state.connection === 'open' && nb.state.kernel.state === 'dead'}>
        <div class="banner error" role="status" data-banner="kernel-dead">
          <span>{sentence(nb.state.kernel.message ?? 'The kernel is not running')} Use Restart to start a new one.</span>
        </div>
      </Match>
      <Match when={nb.state.connection === 'not_found'}>
        <div class="banner error" role="alert" data-banner="not-found">
          <span>This notebook does not exist any more (deleted or renamed).</span>
          <a class="button small" href={homeHref()} onClick={(event) => followLink(event, homeHref())}>
            Back to notebooks
          </a>
        </div>
      </Match>
    </Switch>
  );
}
