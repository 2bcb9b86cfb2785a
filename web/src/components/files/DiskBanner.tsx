import { createEffect, Show, type JSX } from 'solid-js';
import { navigate, notebookHref } from '../../router/index.ts';
import { useNotebook } from '../../state/index.ts';

/**
 * A conflict with the notebook's file: changed (or deleted) on disk by another program while this notebook had
 * unsaved changes — "Keep mine" / "Load from disk", `[data-banner="conflict"][data-disk]`. A notebook moved
 * here follows its file to the new name; one deleted here is reported by the connection banner (its socket
 * closes as "not found").
 */
export function DiskBanner(): JSX.Element {
  const nb = useNotebook();

  createEffect(() => {
    const closed = nb.state.closed;
    if (closed?.reason === 'moved' && closed.path !== undefined) navigate(notebookHref(closed.path), { replace: true });
  });

  return (
    <Show when={nb.state.conflict}>
      {(conflict) => (
        <div class="banner warning" role="alert" data-banner="conflict" data-disk={conflict().disk}>
          <span>
            {conflict().disk === 'deleted'
              ? 'The file of this notebook was deleted by another program. Your version is not saved.'
              : 'The file of this notebook was changed by another program while you had unsaved changes. Nothing is saved until you choose.'}
          </span>
          <button type="button" class="button small" aria-label="Keep mine" onClick={() => nb.resolveConflict('keep_mine')}>
            {conflict().disk === 'deleted' ? 'Save mine again' : 'Keep mine'}
          </button>
          {conflict().disk === 'modified' && (
            <button type="button" class="button small" aria-label="Load from disk" onClick={() => nb.resolveConflict('load_disk')}>
              Load from disk
            </button>
          )}
        </div>
      )}
    </Show>
  );
}
