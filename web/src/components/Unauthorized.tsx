import type { JSX } from 'solid-js';

/** Shown whenever the server refuses the token (missing, mistyped, or from an earlier `npm start`). */
export function Unauthorized(): JSX.Element {
  return (
    <main class="page page-message" data-page="unauthorized">
      <div class="message-card" role="alert">
        <h1>Cellmate needs its access token</h1>
        <p>
          Open the URL with the token printed by <code>npm start</code> in the terminal — it looks like{' '}
          <code>http://127.0.0.1:8765/?token=…</code>.
        </p>
        <p class="muted">A new token is made each time the server starts, unless CELLMATE_TOKEN sets one.</p>
      </div>
    </main>
  );
}
