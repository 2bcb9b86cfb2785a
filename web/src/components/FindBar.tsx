/**
 * The notebook's find and replace bar (Ctrl/Cmd+F, Ctrl+H, or the header's "Find and replace"), in the sticky
 * header. Selectors for tests: `[data-panel="find"]`; fields "Find" and "Replace"; toggles "Match case" and
 * "Use regular expression" (`aria-pressed`); `.find-count` ("3 of 17", "No matches"); `.find-error` (a pattern
 * that is not a regular expression); buttons "Previous match", "Next match", "Show replace", "Replace",
 * "Replace all", "Close find". In the editors, matches are `.cm-find-match` and the current one `.cm-find-current`.
 * Enter goes to the next match, Shift+Enter to the previous; Enter in "Replace" replaces; Escape closes and puts
 * the focus back (into the editor, on the match, if the bar was opened from one).
 */
import { createEffect, on, Show, type JSX } from 'solid-js';
import type { CellId } from '../../../server/protocol/ids.ts';
import { useNotebook } from '../state/index.ts';
import { useFind, type NotebookFind } from '../state/notebook-find.ts';
import { Icon } from './Icon.tsx';

function countText(find: NotebookFind): string {
  if (find.query().text === '') return '';
  if (find.error()) return 'Invalid pattern';
  const count = find.matches().length;
  if (count === 0) return 'No matches';
  const total = `${count.toLocaleString('en')}${find.isCapped() ? '+' : ''}`;
  return `${(find.currentIndex() + 1).toLocaleString('en')} of ${total}`;
}

export function FindBar(): JSX.Element {
  const nb = useNotebook();
  const find = useFind();
  let queryField: HTMLInputElement | undefined;
  let replaceField: HTMLInputElement | undefined;
  /** A replace button that turns disabled (nothing left to replace) would drop the focus out of the bar: keep it. */
  const replaceThen = (action: () => void) => {
    action();
    replaceField?.focus();
  };

  // Each Ctrl+F (or click) puts the focus in the query, its text selected to type over.
  createEffect(
    on(find.openCount, () => {
      if (!find.isOpen()) return;
      focusQuery();
    }),
  );
  function focusQuery() {
    queueMicrotask(() => {
      queryField?.focus();
      queryField?.select();
    });
  }

  /** Closes the bar and returns to the cell of the current match, in the mode the person left. */
  const close = () => {
    const current = find.matches()[find.currentIndex()];
    const mode = find.returnMode();
    find.close();
    const id: CellId | null = current?.cellId ?? nb.state.ui.selected;
    if (id === null) return;
    if (mode === 'edit') {
      // From command mode into edit mode: the cell's editor takes the focus, its selection on the match.
      nb.setMode('command');
      nb.select(id, 'edit');
      return;
    }
    nb.select(id, 'command');
    document.querySelector<HTMLElement>(`article.cell[data-cell-id="${CSS.escape(id)}"]`)?.focus({ preventScroll: true });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };

  const onQueryKey = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (event.shiftKey) find.previous();
    else find.next();
  };

  const onReplaceKey = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    find.replaceCurrent();
  };

  return (
    <Show when={find.isOpen()}>
      <div class="find-bar" data-panel="find" role="search" aria-label="Find in notebook" onKeyDown={onKeyDown}>
        <button
          type="button"
          class="icon-button find-expand"
          aria-label="Show replace"
          aria-expanded={find.showsReplace()}
          title="Replace (Ctrl+H)"
          onClick={() => find.setShowsReplace(!find.showsReplace())}
        >
          <Icon name={find.showsReplace() ? 'caret' : 'collapse'} />
        </button>
        <div class="find-rows">
          <div class="find-row">
            <input
              ref={queryField}
              class="find-field"
              type="text"
              aria-label="Find"
              placeholder="Find"
              spellcheck={false}
              autocomplete="off"
              aria-invalid={find.error() !== null}
              value={find.query().text}
              onInput={(event) => find.setQuery({ text: event.currentTarget.value })}
              onKeyDown={onQueryKey}
            />
            <button
              type="button"
              class="find-toggle"
              aria-label="Match case"
              title="Match case"
              aria-pressed={find.query().caseSensitive}
              onClick={() => find.setQuery({ caseSensitive: !find.query().caseSensitive })}
            >
              Aa
            </button>
            <button
              type="button"
              class="find-toggle"
              aria-label="Use regular expression"
              title="Use regular expression"
              aria-pressed={find.query().regex}
              onClick={() => find.setQuery({ regex: !find.query().regex })}
            >
              .*
            </button>
            <span class="find-count" aria-live="polite">
              {countText(find)}
            </span>
            <button type="button" class="icon-button" aria-label="Previous match" title="Previous match (Shift+Enter)" onClick={() => find.previous()}>
              <Icon name="up" />
            </button>
            <button type="button" class="icon-button" aria-label="Next match" title="Next match (Enter)" onClick={() => find.next()}>
              <Icon name="down" />
            </button>
            <button type="button" class="icon-button" aria-label="Close find" title="Close (Escape)" onClick={close}>
              <Icon name="close" />
            </button>
          </div>
          <Show when={find.showsReplace()}>
            <div class="find-row">
              <input
                ref={replaceField}
                class="find-field"
                type="text"
                aria-label="Replace"
                placeholder={find.query().regex ? 'Replace ($1, $<name> for groups)' : 'Replace'}
                spellcheck={false}
                autocomplete="off"
                value={find.replacement()}
                onInput={(event) => find.setReplacement(event.currentTarget.value)}
                onKeyDown={onReplaceKey}
              />
              <button
                type="button"
                class="button"
                aria-label="Replace"
                disabled={!find.canReplace() || find.currentIndex() < 0}
                onClick={() => replaceThen(find.replaceCurrent)}
              >
                Replace
              </button>
              <button
                type="button"
                class="button"
                aria-label="Replace all"
                disabled={!find.canReplace() || find.matches().length === 0}
                onClick={() => replaceThen(find.replaceAll)}
              >
                Replace all
              </button>
            </div>
          </Show>
          <Show when={find.error()}>
            {(message) => (
              <p class="find-error" role="alert">
                {message()}
              </p>
            )}
          </Show>
        </div>
      </div>
    </Show>
  );
}
