/**
 * A click on a file in the sidebar puts its path where the person is working, as dragging a file into a
 * JupyterLab cell does:
 * - a cell in edit mode gets it at its cursor (replacing a selection): bare inside a string literal or in
 *   markdown and raw cells, quoted as a Python string elsewhere in code, so it is ready for `pd.read_csv(|)`;
 * - otherwise a new code cell below the selected one holds the quoted path, in edit mode, ready to be wrapped
 *   in a call: nothing is typed into a cell the person isn't editing.
 * The path is relative to the notebook's folder, the kernel's working directory, so the code runs as written.
 */
import { EditorView } from '@codemirror/view';
import { createCell } from '../../../../server/protocol/notebook.ts';
import { insertionIndex, type NotebookStore } from '../../state/index.ts';
import { pythonString } from './relative-path.ts';

/** The editor of the cell in edit mode, found through its DOM (CodeMirror's own lookup). */
function editingView(store: NotebookStore): EditorView | null {
  const { selected, mode } = store.state.ui;
  if (mode !== 'edit' || selected === null) return null;
  const content = document.querySelector(`article.cell[data-cell-id="${CSS.escape(selected)}"] .cm-content`);
  return content instanceof HTMLElement ? EditorView.findFromDOM(content) : null;
}

/** Whether the text before the cursor leaves it inside a one-line string literal (an odd count of a quote). */
function isInsideString(lineBefore: string): boolean {
  return ["'", '"'].some((quote) => (lineBefore.split(quote).length - 1) % 2 === 1);
}

export function insertPath(store: NotebookStore, path: string): void {
  const view = editingView(store);
  const cellType = store.state.doc?.cells.find((cell) => cell.id === store.state.ui.selected)?.cell_type;
  if (view) {
    const range = view.state.selection.main;
    const line = view.state.doc.lineAt(range.from);
    const before = view.state.sliceDoc(line.from, range.from);
    const text = cellType !== 'code' || isInsideString(before) ? path : pythonString(path);
    view.dispatch({ changes: { from: range.from, to: range.to, insert: text }, selection: { anchor: range.from + text.length }, userEvent: 'input.paste', scrollIntoView: true });
    view.focus();
    return;
  }
  const cell = createCell('code', pythonString(path));
  if (!store.edit({ type: 'insert_cell', index: insertionIndex(store), cell })) return;
  store.select(cell.id, 'edit');
}
