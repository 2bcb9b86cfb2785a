/**
 * The notebook's keys inside a cell editor, as in JupyterLab: Shift+Enter runs and moves on, Ctrl/Cmd+Enter
 * runs in place, Alt+Enter runs and inserts a cell below, Escape leaves the editor; arrow keys at the first or
 * last line continue into the neighbouring cell; Ctrl/Cmd+F and Ctrl+H open the notebook's find. Highest
 * precedence, so CodeMirror's own Mod-Enter etc. yield.
 */
import { Prec, type Extension } from '@codemirror/state';
import { keymap, type EditorView } from '@codemirror/view';
import type { RunThen } from '../state/notebook-commands.ts';

export interface NotebookKeyHandlers {
  run(then: RunThen): void;
  /** Escape: back to command mode. */
  leave(): void;
  /** Arrow up on the first line / down on the last: return false to let CodeMirror handle the key. */
  previousCell(): boolean;
  nextCell(): boolean;
  /** Ctrl+Shift+- (JupyterLab's, Ctrl also on macOS): split the cell at the cursor, or around the selection. */
  split?(view: EditorView): void;
  /** Ctrl/Cmd+F (find) and Ctrl+H (find and replace): the notebook's search bar, not a panel of this editor. */
  find?(view: EditorView, replace: boolean): void;
}

function cursorOnFirstLine(view: EditorView): boolean {
  const { main } = view.state.selection;
  return main.empty && view.state.doc.lineAt(main.head).number === 1;
}

function cursorOnLastLine(view: EditorView): boolean {
  const { main } = view.state.selection;
  return main.empty && view.state.doc.lineAt(main.head).number === view.state.doc.lines;
}

export function notebookKeymap(handlers: NotebookKeyHandlers): Extension {
  const run = (then: RunThen) => () => {
    handlers.run(then);
    return true;
  };
  return Prec.highest(
    keymap.of([
      { key: 'Shift-Enter', run: run('advance') },
      { key: 'Mod-Enter', run: run('stay') },
      // JupyterLab binds Ctrl+Enter on macOS too, next to Cmd+Enter.
      { key: 'Ctrl-Enter', run: run('stay') },
      { key: 'Alt-Enter', run: run('insert') },
      {
        key: 'Escape',
        run: () => {
          handlers.leave();
          return true;
        },
      },
      { key: 'Mod-f', run: (view) => (handlers.find ? (handlers.find(view, false), true) : false) },
      { key: 'Ctrl-h', run: (view) => (handlers.find ? (handlers.find(view, true), true) : false) },
      { key: 'Ctrl-Shift--', run: (view) => (handlers.split ? (handlers.split(view), true) : false) },
      { key: 'ArrowUp', run: (view) => cursorOnFirstLine(view) && handlers.previousCell() },
      { key: 'ArrowDown', run: (view) => cursorOnLastLine(view) && handlers.nextCell() },
    ]),
  );
}
