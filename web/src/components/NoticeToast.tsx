import { createEffect, onCleanup, Show, type JSX } from 'solid-js';
import { escapeBidiControls } from '../../../server/protocol/visible-name.ts';
import { useNotebook } from '../state/index.ts';
import { Icon } from './Icon.tsx';

const VISIBLE_MS = 8000;

/** The latest error or hint for this notebook (a refused edit, a run while offline…), fading after a while. */
export function NoticeToast(): JSX.Element {
  const nb = useNotebook();
  createEffect(() => {
    const notice = nb.state.notice;
    if (!notice) return;
    const timer = setTimeout(() => {
      if (nb.state.notice?.id === notice.id) nb.dismissNotice();
    }, VISIBLE_MS);
    onCleanup(() => clearTimeout(timer));
  });
  return (
    <Show when={nb.state.notice}>
      {(notice) => (
        <div class="toast" role="alert">
          <span>{escapeBidiControls(notice().text)}</span>
          <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => nb.dismissNotice()}>
            <Icon name="close" />
          </button>
        </div>
      )}
    </Show>
  );
}
