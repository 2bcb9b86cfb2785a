import { Show, type JSX } from 'solid-js';
import type { FileListing } from '../../api/files.ts';
import { visibleName } from '../../../../server/protocol/visible-name.ts';
import { followLink, notebookHref } from '../../router/index.ts';
import { relativeTime } from '../format-time.ts';
import { Icon } from '../Icon.tsx';
import { formatSize } from './format-size.ts';

export interface FileRowProps {
  entry: FileListing;
  onOpenFolder: (path: string) => void;
  onDownload: (entry: FileListing) => void;
  onRename: (entry: FileListing) => void;
  onDelete: (entry: FileListing) => void;
}

/**
 * One entry of the file browser: `li[data-file-path][data-file-kind]`, with the buttons "Download" (files and
 * notebooks), "Rename" and "Delete". A notebook's name opens it, a folder's name enters it.
 */
export function FileRow(props: FileRowProps): JSX.Element {
  const entry = () => props.entry;
  const name = () => visibleName(props.entry.name);
  const icon = () => (entry().kind === 'directory' ? 'folder' : entry().kind === 'notebook' ? 'notebook' : 'file');
  return (
    <li class="file-row" data-file-path={entry().path} data-file-kind={entry().kind}>
      <Show
        when={entry().kind !== 'file'}
        fallback={
          <button type="button" class="file-name-button" title={`Download ${name()}`} onClick={() => props.onDownload(entry())}>
            <Icon name={icon()} size={18} />
            <span class="file-name">{name()}</span>
          </button>
        }
      >
        <a
          class="file-link"
          href={entry().kind === 'notebook' ? notebookHref(entry().path) : '#'}
          onClick={(event) => {
            if (entry().kind === 'notebook') return followLink(event, notebookHref(entry().path));
            event.preventDefault();
            props.onOpenFolder(entry().path);
          }}
        >
          <Icon name={icon()} size={18} />
          <span class="file-name">{name()}</span>
        </a>
      </Show>
      <span class="file-size muted">{entry().kind === 'directory' ? '' : formatSize(entry().size)}</span>
      <span class="file-time muted" title={entry().last_modified}>
        {relativeTime(entry().last_modified)}
      </span>
      <span class="file-actions">
        <Show when={entry().kind !== 'directory'}>
          <button type="button" class="icon-button" aria-label="Download" title={`Download ${name()}`} onClick={() => props.onDownload(entry())}>
            <Icon name="download" />
          </button>
        </Show>
        <button type="button" class="icon-button" aria-label="Rename" title={`Rename or move ${name()}`} onClick={() => props.onRename(entry())}>
          <Icon name="rename" />
        </button>
        <button type="button" class="icon-button danger" aria-label="Delete" title={`Delete ${name()}`} onClick={() => props.onDelete(entry())}>
          <Icon name="trash" />
        </button>
      </span>
    </li>
  );
}
