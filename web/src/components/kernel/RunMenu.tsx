import { createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { cellIndex, runCell, runScope, useNotebook, type NotebookStore } from '../../state/index.ts';
import { Icon } from '../Icon.tsx';

interface RunItem {
  /** The item's accessible name (stable: tests find items by it). */
  label: string;
  hint: string;
  isEnabled: (nb: NotebookStore) => boolean;
  run: (nb: NotebookStore) => void;
}

const hasSelection = (nb: NotebookStore) => cellIndex(nb, nb.state.ui.selected) >= 0;

const ITEMS: RunItem[] = [
  {
    label: 'Run selected cell',
    hint: 'Shift+Enter runs it and moves on',
    isEnabled: hasSelection,
    run: (nb) => {
      const id = nb.state.ui.selected;
      if (id !== null) runCell(nb, id, 'stay');
    },
  },
  { label: 'Run above', hint: 'every cell above the selected one', isEnabled: (nb) => cellIndex(nb, nb.state.ui.selected) > 0, run: (nb) => runScope(nb, 'above') },
  { label: 'Run below', hint: 'the selected cell and every cell below', isEnabled: hasSelection, run: (nb) => runScope(nb, 'below') },
  { label: 'Run all', hint: 'every cell, top to bottom', isEnabled: () => true, run: (nb) => runScope(nb, 'all') },
  { label: 'Restart and run all', hint: 'a fresh kernel, then every cell', isEnabled: () => true, run: (nb) => nb.setConfirm('restart_run_all') },
];

/**
 * The Run menu, as JupyterLab's: a `menu` of `menuitem`s named "Run selected cell", "Run above", "Run below",
 * "Run all", "Restart and run all" (the last asks first). Arrow keys move between items, Escape closes.
 */
export function RunMenu(props: { disabled: boolean }): JSX.Element {
  const nb = useNotebook();
  const [isOpen, setOpen] = createSignal(false);
  let root: HTMLDivElement | undefined;
  let menu: HTMLDivElement | undefined;

  const onOutside = (event: MouseEvent) => {
    if (root && event.target instanceof Node && !root.contains(event.target)) setOpen(false);
  };
  document.addEventListener('mousedown', onOutside);
  onCleanup(() => document.removeEventListener('mousedown', onOutside));

  const items = () => [...(menu?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];
  const open = () => {
    setOpen(true);
    items()[0]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') return setOpen(false);
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const list = items();
    const at = list.findIndex((item) => item === document.activeElement);
    list[(at + (event.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length]?.focus();
  };
  const choose = (item: RunItem) => {
    setOpen(false);
    item.run(nb);
  };

  return (
    <div class="menu-anchor" ref={root} onKeyDown={onKeyDown}>
      <button
        type="button"
        class="button"
        aria-label="Run menu"
        aria-haspopup="menu"
        aria-expanded={isOpen()}
        disabled={props.disabled}
        onClick={() => (isOpen() ? setOpen(false) : open())}
      >
        <Icon name="play" /> Run <Icon name="caret" size={12} />
      </button>
      <Show when={isOpen()}>
        <div class="menu menu-left" role="menu" aria-label="Run" ref={menu}>
          <For each={ITEMS}>
            {(item) => (
              <button type="button" role="menuitem" class="menu-item" aria-label={item.label} disabled={!item.isEnabled(nb)} onClick={() => choose(item)}>
                <span>{item.label}</span>
                <span class="muted">{item.hint}</span>
              </button>
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}
