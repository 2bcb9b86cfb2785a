import { Show, type JSX } from 'solid-js';
import type { CellDoc, CellType } from '../../../server/protocol/notebook.ts';
import { deleteCell, moveCell, runCell, setCellType, useNotebook } from '../state/index.ts';
import { moveSelected } from '../state/cell-commands.ts';
import { Icon } from './Icon.tsx';
import { askAboutCells, explainCell, fixCell, hasErrorOutput } from './agent/one-click.ts';

function isCellType(value: string): value is CellType {
  return value === 'code' || value === 'markdown' || value === 'raw';
}

/** Per-cell actions. Labels are stable: end-to-end tests find these buttons by them. */
export function CellToolbar(props: { cell: CellDoc; index: number; count: number }): JSX.Element {
  const nb = useNotebook();
  const id = props.cell.id;
  // On one of several selected cells, Move up/down moves them all together.
  const move = (delta: -1 | 1) => (nb.isMultiSelected(id) ? moveSelected(nb, delta) : moveCell(nb, id, delta));
  return (
    <div class="cell-toolbar" role="toolbar" aria-label="Cell actions">
      <button type="button" class="icon-button" aria-label="Run cell" title="Run cell (Ctrl+Enter)" onClick={() => runCell(nb, id, 'stay')}>
        <Icon name="play" />
      </button>
      <select
        class="cell-type-select"
        aria-label="Cell type"
        value={props.cell.cell_type}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (isCellType(value)) setCellType(nb, id, value);
        }}
      >
        <option value="code">Code</option>
        <option value="markdown">Markdown</option>
        <option value="raw">Raw</option>
      </select>
      <button type="button" class="icon-button" aria-label="Move up" title="Move up" disabled={props.index === 0} onClick={() => move(-1)}>
        <Icon name="up" />
      </button>
      <button
        type="button"
        class="icon-button"
        aria-label="Move down"
        title="Move down"
        disabled={props.index >= props.count - 1}
        onClick={() => move(1)}
      >
        <Icon name="down" />
      </button>
      <Show when={hasErrorOutput(props.cell)}>
        <button type="button" class="button small cell-fix" aria-label="Fix cell" title="Ask the assistant to propose a fix of this cell, as a diff to review" onClick={() => fixCell(nb, id)}>
          Fix
        </button>
      </Show>
      <button type="button" class="icon-button" aria-label="Explain cell" title="Ask the assistant to explain this cell and its output (changes nothing)" onClick={() => explainCell(nb, id)}>
        <Icon name="search" />
      </button>
      <button type="button" class="icon-button" aria-label="Ask about this" title="Attach this cell (or the selected cells) to the assistant's next prompt" onClick={() => askAboutCells(nb, id)}>
        <Icon name="chat" />
      </button>
      <button type="button" class="icon-button danger" aria-label="Delete cell" title="Delete cell" onClick={() => deleteCell(nb, id)}>
        <Icon name="trash" />
      </button>
    </div>
  );
}
