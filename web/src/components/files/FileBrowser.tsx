/**
 * The workspace's files on the start page: folders, notebooks and data files; "New folder", "Upload files"
 * (button or drag and drop, with progress), and per row "Download", "Rename" (a new name or a new path moves
 * it) and "Delete" (after a confirmation). A single uploaded `.ipynb` opens once it has arrived.
 * Stable hooks: `section[data-file-browser][data-folder]`, rows `li[data-file-path]`, uploads `[data-upload-path]`.
 */
import { createResource, createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { deletePath, downloadFile, listFolder, makeFolder, renamePath, type FileListing } from '../../api/files.ts';
import { UnauthorizedError } from '../../api/http.ts';
import { visibleName } from '../../../../server/protocol/visible-name.ts';
import { navigate, notebookHref } from '../../router/index.ts';
import { saveBlob } from '../file-download.ts';
import { Icon } from '../Icon.tsx';
import { Dialog, type DialogProps } from './Dialog.tsx';
import { FileRow } from './FileRow.tsx';
import { UploadButton } from './UploadButton.tsx';
import { UploadList } from './UploadList.tsx';
import { createUploadQueue, joinPath } from './upload-queue.ts';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Folders first, then by name, as file managers list them. */
function sortEntries(entries: FileListing[]): FileListing[] {
  return [...entries].sort((a, b) => Number(b.kind === 'directory') - Number(a.kind === 'directory') || a.name.localeCompare(b.name));
}

export function FileBrowser(props: { onChange?: () => void }): JSX.Element {
  const [folder, setFolder] = createSignal('');
  const [entries, { refetch }] = createResource(folder, listFolder);
  const [dialog, setDialog] = createSignal<Omit<DialogProps, 'onClose'> | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [isDragging, setDragging] = createSignal(false);
  const uploads = createUploadQueue();

  const changed = async () => {
    await refetch();
    props.onChange?.();
  };

  const act = async (what: string, action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      if (!(failure instanceof UnauthorizedError)) setError(`${what}: ${message(failure)}`);
    }
  };

  const upload = async (files: File[]) => {
    const start = async () => {
      const arrived = await uploads.add(folder(), files);
      await changed();
      const only = arrived.length === 1 ? arrived[0] : undefined;
      if (files.length === 1 && only?.endsWith('.ipynb')) navigate(notebookHref(only));
    };
    const taken = new Set((entries() ?? []).map((entry) => entry.name));
    const clashes = files.filter((file) => taken.has(file.name)).map((file) => file.name);
    if (clashes.length === 0) return start();
    setDialog({
      title: 'Replace existing files?',
      message: `${clashes.map(visibleName).join(', ')} already ${clashes.length === 1 ? 'exists' : 'exist'} in this folder and will be replaced.`,
      confirmLabel: 'Replace',
      isDanger: true,
      onConfirm: async () => void start(),
    });
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) void upload(files);
  };

  const newFolder = () =>
    setDialog({
      title: 'New folder',
      initialValue: '',
      inputLabel: 'Folder name',
      confirmLabel: 'Create',
      onConfirm: async (name) => {
        await makeFolder(joinPath(folder(), name));
        await changed();
      },
    });

  const rename = (entry: FileListing) =>
    setDialog({
      title: `Rename ${visibleName(entry.name)}`,
      message: 'Give a new name, or a new path to move it to another folder.',
      initialValue: entry.path,
      inputLabel: 'New name or path',
      confirmLabel: 'Rename',
      onConfirm: async (to) => {
        await renamePath(entry.path, to.includes('/') || folder() === '' ? to : joinPath(folder(), to));
        await changed();
      },
    });

  const remove = (entry: FileListing) =>
    setDialog({
      title: `Delete ${visibleName(entry.name)}?`,
      message: entry.kind === 'directory' ? `The folder ${visibleName(entry.path)} and everything in it will be deleted.` : `${visibleName(entry.path)} will be deleted.`,
      confirmLabel: 'Delete',
      isDanger: true,
      onConfirm: async () => {
        await deletePath(entry.path);
        await changed();
      },
    });

  const download = (entry: FileListing) =>
    void act(`Could not download ${visibleName(entry.name)}`, async () => {
      const file = await downloadFile(entry.path);
      saveBlob(file.blob, file.filename);
    });

  const crumbs = () => {
    const parts = folder() === '' ? [] : folder().split('/');
    return parts.map((name, index) => ({ name, path: parts.slice(0, index + 1).join('/') }));
  };

  return (
    <section
      class="list-card file-browser"
      classList={{ 'is-dragging': isDragging() }}
      aria-label="Files"
      data-file-browser=""
      data-folder={folder()}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        const next = event.relatedTarget;
        if (!(next instanceof Node) || !event.currentTarget.contains(next)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header class="files-header">
        <nav class="breadcrumbs" aria-label="Folder">
          <button type="button" class="crumb" onClick={() => setFolder('')}>
            Workspace
          </button>
          <For each={crumbs()}>
            {(crumb) => (
              <>
                <span class="muted">/</span>
                <button type="button" class="crumb" onClick={() => setFolder(crumb.path)}>
                  {visibleName(crumb.name)}
                </button>
              </>
            )}
          </For>
        </nav>
        <button type="button" class="button small" aria-label="New folder" onClick={newFolder}>
          <Icon name="folder" /> New folder
        </button>
        <UploadButton class="button small" onFiles={(chosen) => void upload(chosen)}>
          <Icon name="upload" /> Upload files
        </UploadButton>
      </header>
      <Show when={error()}>{(text) => <p class="inline-error files-error" role="alert">{text()}</p>}</Show>
      <UploadList queue={uploads} />
      <Switch>
        <Match when={entries.error}>
          <p class="list-empty" role="alert">
            Could not list {visibleName(folder()) || 'the workspace'}: {message(entries.error)}
          </p>
        </Match>
        <Match when={entries.loading && !entries.latest}>
          <p class="list-empty muted">Loading files…</p>
        </Match>
        <Match when={(entries() ?? []).length === 0}>
          <p class="list-empty muted">No files here yet. Drop files on this box, or use Upload files.</p>
        </Match>
        <Match when={entries()}>
          {(list) => (
            <ul class="file-rows">
              <For each={sortEntries(list())}>
                {(entry) => <FileRow entry={entry} onOpenFolder={setFolder} onDownload={download} onRename={rename} onDelete={remove} />}
              </For>
            </ul>
          )}
        </Match>
      </Switch>
      <p class="drop-hint muted">Drop files here to upload them to {visibleName(folder()) || 'the workspace'}</p>
      <Show when={dialog()}>{(open) => <Dialog {...open()} onClose={() => setDialog(null)} />}</Show>
    </section>
  );
}
