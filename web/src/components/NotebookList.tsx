import { createResource, createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { createNotebook, deleteNotebook, listNotebooks, type NotebookSummary } from '../api/notebooks.ts';
import { UnauthorizedError } from '../api/http.ts';
import { visibleName } from '../../../server/protocol/visible-name.ts';
import { followLink, navigate, notebookHref } from '../router/index.ts';
import { relativeTime } from './format-time.ts';
import { Icon } from './Icon.tsx';
import { ThemeSwitch } from './ThemeSwitch.tsx';
import { FileBrowser } from './files/FileBrowser.tsx';
import { KernelStatusLine } from './kernel/KernelStatusLine.tsx';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The workspace's notebooks, newest first, with "New notebook". */
export function NotebookList(): JSX.Element {
  const [notebooks, { refetch }] = createResource(listNotebooks);
  const [busy, setBusy] = createSignal(false);
  const [actionError, setActionError] = createSignal<string | null>(null);

  const sorted = () => [...(notebooks() ?? [])].sort((a, b) => Date.parse(b.last_modified) - Date.parse(a.last_modified));

  const create = async () => {
    setBusy(true);
    setActionError(null);
    try {
      navigate(notebookHref(await createNotebook()));
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) setActionError(`Could not create a notebook: ${errorText(error)}`);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (notebook: NotebookSummary) => {
    setActionError(null);
    try {
      await deleteNotebook(notebook.path);
      await refetch();
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) setActionError(`Could not delete ${visibleName(notebook.path)}: ${errorText(error)}`);
    }
  };

  return (
    <main class="page list-page" data-page="list">
      <header class="list-header">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">◆</span> Cellmate
        </div>
        <ThemeSwitch />
        <button type="button" class="button primary" aria-label="New notebook" disabled={busy()} onClick={create}>
          <Icon name="plus" /> New notebook
        </button>
      </header>
      <KernelStatusLine />
      <Show when={actionError()}>{(message) => <p class="inline-error" role="alert">{message()}</p>}</Show>
      <section class="list-card" aria-label="Notebooks">
        <Switch>
          <Match when={notebooks.error}>
            <div class="list-empty" role="alert">
              <p>Could not load the notebooks: {errorText(notebooks.error)}</p>
              <button type="button" class="button" onClick={() => void refetch()}>
                Retry
              </button>
            </div>
          </Match>
          <Match when={notebooks.loading && !notebooks.latest}>
            <p class="list-empty muted">Loading notebooks…</p>
          </Match>
          <Match when={sorted().length === 0}>
            <div class="list-empty">
              <p>No notebooks yet.</p>
              <p class="muted">Create one to start writing code, text and charts.</p>
            </div>
          </Match>
          <Match when={sorted().length > 0}>
            <ul class="notebook-rows">
              <For each={sorted()}>{(notebook) => <NotebookRow notebook={notebook} onDelete={() => remove(notebook)} />}</For>
            </ul>
          </Match>
        </Switch>
      </section>
      <h2 class="section-title">Files</h2>
      <FileBrowser onChange={() => void refetch()} />
    </main>
  );
}

function NotebookRow(props: { notebook: NotebookSummary; onDelete: () => Promise<void> }): JSX.Element {
  const [confirming, setConfirming] = createSignal(false);
  const href = () => notebookHref(props.notebook.path);
  const folder = () => props.notebook.path.split('/').slice(0, -1).join('/');
  return (
    <li class="notebook-row" data-notebook-path={props.notebook.path}>
      <a class="notebook-link" href={href()} onClick={(event) => followLink(event, href())}>
        <Icon name="notebook" size={18} />
        <span class="notebook-name">{visibleName(props.notebook.name)}</span>
        <Show when={folder()}>
          <span class="notebook-folder muted">{visibleName(folder())}</span>
        </Show>
      </a>
      <span class="notebook-time muted" title={props.notebook.last_modified}>
        {relativeTime(props.notebook.last_modified)}
      </span>
      <Show
        when={confirming()}
        fallback={
          <button type="button" class="icon-button" aria-label={`Delete notebook ${props.notebook.path}`} onClick={() => setConfirming(true)}>
            <Icon name="trash" />
          </button>
        }
      >
        <span class="confirm-delete">
          <button type="button" class="button danger small" aria-label={`Confirm delete ${props.notebook.path}`} onClick={() => void props.onDelete()}>
            Delete
          </button>
          <button type="button" class="button small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      </Show>
    </li>
  );
}
