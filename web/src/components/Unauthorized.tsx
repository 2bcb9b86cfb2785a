import { Show, type JSX } from 'solid-js';
import { pageSettings } from '../api/base-path.ts';

/**
 * Shown whenever the server refuses the page's requests: stand-alone, the token is missing, mistyped, or from an
 * earlier `npm start`; under JupyterHub, the hub's session has ended (logged out, or the server restarted).
 */
export function Unauthorized(): JSX.Element {
  return (
    <main class="page page-message" data-page="unauthorized">
      <Show
        when={pageSettings().login === 'hub'}
        fallback={
          <div class="message-card" role="alert">
            <h1>Cellmate needs its access token</h1>
            <p>
              Open the URL with the token printed by <code>npm start</code> in the terminal — it looks like{' '}
              <code>http://127.0.0.1:8765/?token=…</code>.
            </p>
            <p class="muted">A new token is made each time the server starts, unless CELLMATE_TOKEN sets one.</p>
          </div>
        }
      >
        <div class="message-card" role="alert">
          <h1>Your JupyterHub session has ended</h1>
          <p>
            <a href={location.href}>Log in again</a> through the hub to go on where you were.
          </p>
        </div>
      </Show>
    </main>
  );
}
