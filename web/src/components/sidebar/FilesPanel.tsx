/**
 * The sidebar's Files panel: the workspace's files while working, starting in the notebook's folder. A folder's
 * click enters it, a notebook's name is a link that opens it, a file's click inserts its path relative to the
 * notebook (see insert-path.ts). "Upload files" or a drop anywhere on the page uploads into the folder shown.
 * Stable hooks: `[data-files-panel][data-folder]`, rows `li[data-file-path][data-file-kind]`, the buttons
 * "Up one folder", "Upload files", "Refresh files"; uploads as in UploadList.
 */
import { For, Match, Show, Switch, type JSX } from 'solid-js';
import { visibleName } from '../../../../server/protocol/visible-name.ts';
import type { FileListing } from '../../api/files.ts';
import { followLink, notebookHref } from '../../router/index.ts';
import { useNotebook } from '../../state/index.ts';
import { Icon } from '../Icon.tsx';
import { UploadButton } from '../files/UploadButton.tsx';
import { UploadList } from '../files/UploadList.tsx';
import { insertPath } from './insert-path.ts';
import { folderOf, relativePath } from './relative-path.ts';
import { useWorkspaceFiles } from './workspace-files.ts';

/** Folders first, then by name, as file managers list them. */
function sortEntries(entries: FileListing[]): FileListing[] {
  return [...entries].sort((a, b) => Number(b.kind === 'directory') - Number(a.kind === 'directory') || a.name.localeCompare(b.name));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function FilesPanel(): JSX.Element {
  const nb = useNotebook();
  const files = useWorkspaceFiles();
  const where = () => visibleName(files.folder()) || 'Workspace';
  const pathFor = (entry: FileListing) => relativePath(files.notebookFolder(), entry.path);

  const row = (entry: FileListing) => (
    <li class="sidebar-file" classList={{ 'is-current': entry.path === nb.state.path }} data-file-path={entry.path} data-file-kind={entry.kind}>
      <Switch>
        <Match when={entry.kind === 'directory'}>
          <button type="button" class="sidebar-file-button" title={`Open folder ${visibleName(entry.name)}`} onClick={() => files.setFolder(entry.path)}>
            <Icon name="folder" />
            <span class="sidebar-file-name">{visibleName(entry.name)}</span>
          </button>
        </Match>
        <Match when={entry.kind === 'notebook'}>
          <a class="sidebar-file-button" href={notebookHref(entry.path)} title={`Open ${visibleName(entry.path)}`} onClick={(event) => followLink(event, notebookHref(entry.path))}>
            <Icon name="notebook" />
            <span class="sidebar-file-name">{visibleName(entry.name)}</span>
          </a>
        </Match>
        <Match when={entry.kind === 'file'}>
          <button
            type="button"
            class="sidebar-file-button"
            title={`Insert the path ${visibleName(pathFor(entry))}`}
            // Keeps the focus (and cursor) in the cell being edited: the path goes there.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => insertPath(nb, pathFor(entry))}
          >
            <Icon name="file" />
            <span class="sidebar-file-name">{visibleName(entry.name)}</span>
          </button>
        </Match>
      </Switch>
    </li>
  );

  return (
    <section class="files-panel" aria-label="Workspace files" data-files-panel="" data-folder={files.folder()}>
      <div class="files-panel-bar">
        <button
          type="button"
          class="icon-button"
          aria-label="Up one folder"
          title="Up one folder"
          disabled={files.folder() === ''}
          onClick={() => files.setFolder(folderOf(files.folder()))}
        >
          <Icon name="up" />
        </button>
        <span class="files-panel-where" title={where()}>
          {where()}
        </span>
        <button type="button" class="icon-button" aria-label="Refresh files" title="List the folder again" onClick={() => void files.refresh()}>
          <Icon name="restart" />
        </button>
        <UploadButton class="icon-button" title={`Upload files to ${where()}`} onFiles={(chosen) => files.request(chosen)}>
          <Icon name="upload" />
        </UploadButton>
      </div>
      <UploadList queue={files.uploads} />
      <Switch>
        <Match when={files.entries.error}>
          <p class="sidebar-empty" role="alert">
            Could not list {where()}: {message(files.entries.error)}
          </p>
        </Match>
        <Match when={files.entries.loading && !files.entries.latest}>
          <p class="sidebar-empty muted">Loading files…</p>
        </Match>
        <Match when={(files.entries.latest ?? []).length === 0}>
          <p class="sidebar-empty muted">No files here. Drop files on the page to upload them here.</p>
        </Match>
        <Match when={files.entries.latest}>{(list) => <ul class="sidebar-files">{<For each={sortEntries(list())}>{row}</For>}</ul>}</Match>
      </Switch>
      <Show when={(files.entries.latest ?? []).some((entry) => entry.kind === 'file')}>
        <p class="sidebar-hint muted">Click a file to insert its path.</p>
      </Show>
    </section>
  );
}
