import { createSignal, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import { onUnauthorized } from '../api/http.ts';
import { currentRoute, followLink, homeHref } from '../router/index.ts';
import { Notebook } from './Notebook.tsx';
import { NotebookList } from './NotebookList.tsx';
import { Unauthorized } from './Unauthorized.tsx';

export function App(): JSX.Element {
  const [unauthorized, setUnauthorized] = createSignal(false);
  onCleanup(onUnauthorized(() => setUnauthorized(true)));

  const route = currentRoute;
  const notebookPath = () => {
    const current = route();
    return current.name === 'notebook' ? current.path : undefined;
  };

  return (
    <Show when={!unauthorized()} fallback={<Unauthorized />}>
      <Switch>
        <Match when={route().name === 'list'}>
          <NotebookList />
        </Match>
        {/* Keyed: opening another notebook builds a new store and socket instead of reusing this one. */}
        <Match when={notebookPath()} keyed>
          {(path) => <Notebook path={path} />}
        </Match>
        <Match when={route().name === 'not_found'}>
          <main class="page page-message" data-page="not-found">
            <div class="message-card">
              <h1>Nothing here</h1>
              <p>
                <a href={homeHref()} onClick={(event) => followLink(event, homeHref())}>
                  Go to the notebooks
                </a>
              </p>
            </div>
          </main>
        </Match>
      </Switch>
    </Show>
  );
}
