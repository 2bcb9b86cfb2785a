import { createEffect, Match, Switch, type JSX } from 'solid-js';
import { followLink, navigate, notebookHref } from '../../router/index.ts';
import { useNotebook } from '../../state/index.ts';

/**
 * What happened to the notebook's file: changed on disk by another program while this notebook had unsaved
 * changes ("Keep mine" / "Load from disk"), deleted on disk, or moved or deleted here (a move follows the
 * notebook to its new name). `[data-banner="conflict"|"deleted"]`.
 */
export function DiskBanner(): JSX.Element {
  const nb = useNotebook();

  createEffect(() => {
    const closed = nb.state.closed;
    if (closed?.reason === 'moved' && closed.path !== undefined) navigate(notebookHref(closed.path), { replace: true });
  });

  return (
    <Switch>
      <Match when={nb.state.closed?.reason === 'deleted'}>
        <div class="banner error" role="alert" data-banner="deleted">
          <span>This notebook was deleted.</span>
          <a class="button small" href="/" onClick={(event) => followLink(event, '/')}>
            Back to notebooks
          </a>
        </div>
      </Match>
      <Match when={nb.state.conflict}>
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
      </Match>
    </Switch>
  );
}
