import { For, Show, type JSX } from 'solid-js';
import { visibleName } from '../../../../server/protocol/visible-name.ts';
import { formatSize } from './format-size.ts';
import type { UploadQueue } from './upload-queue.ts';

/** Uploads of this page, each with a progress bar and its outcome (`[data-upload-path][data-upload-status]`). */
export function UploadList(props: { queue: UploadQueue }): JSX.Element {
  const finished = () => props.queue.items.some((item) => item.status === 'done' || item.status === 'failed');
  return (
    <Show when={props.queue.items.length > 0}>
      <div class="upload-list" aria-label="Uploads" aria-live="polite">
        <For each={props.queue.items}>
          {(item) => (
            <div class="upload-item" data-upload-path={item.path} data-upload-status={item.status}>
              <span class="upload-name">{visibleName(item.path)}</span>
              <progress max={Math.max(1, item.total)} value={item.sent} aria-label={`Upload of ${item.path}`} />
              <span class="upload-state muted">
                {item.status === 'failed' ? '' : item.status === 'done' ? 'Uploaded' : `${formatSize(item.sent)} of ${formatSize(item.total)}`}
              </span>
              <Show when={item.error}>
                <span class="inline-error" role="alert">
                  {item.error}
                </span>
              </Show>
            </div>
          )}
        </For>
        <Show when={finished()}>
          <button type="button" class="button small" onClick={() => props.queue.clearFinished()}>
            Clear finished
          </button>
        </Show>
      </div>
    </Show>
  );
}
