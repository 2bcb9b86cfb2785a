/**
 * A heading cell's fold (state/folding.ts): the toggle beside the prompt, and, while folded, the button that
 * says how many cells are hidden and opens the section again.
 * Stable hooks: `button.fold-toggle` ("Fold section" / "Unfold section", `aria-expanded`) in a foldable markdown
 * cell's prompt; `button.fold-hidden-count` ("N cells hidden") under a folded heading; the cell gets `is-folded`.
 */
import { createMemo, Show, type JSX } from 'solid-js';
import type { CellDoc } from '../../../server/protocol/notebook.ts';
import { setFolded, toggleFold } from '../state/fold-commands.ts';
import { isFoldable, isFolded, sectionSize } from '../state/folding.ts';
import { useNotebook } from '../state/index.ts';
import { Icon } from './Icon.tsx';

export function FoldToggle(props: { cell: CellDoc }): JSX.Element {
  const nb = useNotebook();
  const folded = () => isFolded(props.cell);
  return (
    <Show when={isFoldable(props.cell)}>
      <button
        type="button"
        class="fold-toggle"
        classList={{ 'is-folded': folded() }}
        aria-label={folded() ? 'Unfold section' : 'Fold section'}
        aria-expanded={!folded()}
        title={folded() ? 'Show the cells of this section' : 'Hide the cells of this section'}
        onClick={() => {
          // The heading keeps the selection, so selecting never lands inside the section being folded.
          nb.select(props.cell.id, 'command');
          toggleFold(nb, props.cell.id);
        }}
      >
        <Icon name="caret" size={14} />
      </button>
    </Show>
  );
}

export function FoldedNote(props: { cell: CellDoc }): JSX.Element {
  const nb = useNotebook();
  const hidden = createMemo(() => {
    if (!isFolded(props.cell)) return 0;
    const cells = nb.state.doc?.cells ?? [];
    return sectionSize(cells, cells.findIndex((cell) => cell.id === props.cell.id));
  });
  return (
    <Show when={hidden() > 0}>
      <button type="button" class="fold-hidden-count" onClick={() => setFolded(nb, props.cell.id, false)}>
        {hidden() === 1 ? '1 cell hidden' : `${hidden()} cells hidden`}
      </button>
    </Show>
  );
}
