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

/** One of the editor's notebook keys: CodeMirror key names, what the shortcut sheet says, what it does. */
export interface EditorKeyBinding {
  keys: string[];
  description: string;
  /** Returns false to leave the key to CodeMirror. */
  command(handlers: NotebookKeyHandlers, view: EditorView): boolean;
}

const runs = (then: RunThen) => (handlers: NotebookKeyHandlers) => {
  handlers.run(then);
  return true;
};

/** The editor's notebook keys; the keymap and the shortcut sheet are both made from this table. */
export const EDITOR_KEYS: EditorKeyBinding[] = [
  { keys: ['Shift-Enter'], description: 'Run the cell and select the next', command: runs('advance') },
  // JupyterLab binds Ctrl+Enter on macOS too, next to Cmd+Enter.
  { keys: ['Mod-Enter', 'Ctrl-Enter'], description: 'Run the cell', command: runs('stay') },
  { keys: ['Alt-Enter'], description: 'Run the cell and insert a cell below', command: runs('insert') },
  {
    keys: ['Escape'],
    description: 'Leave the editor (command mode)',
    command: (handlers) => {
      handlers.leave();
      return true;
    },
  },
  { keys: ['Mod-f'], description: 'Find in all cells (also in command mode; Enter / Shift+Enter: next / previous)', command: (handlers, view) => (handlers.find ? (handlers.find(view, false), true) : false) },
  { keys: ['Ctrl-h'], description: 'Find and replace in all cells (also in command mode; replace all is one undo step)', command: (handlers, view) => (handlers.find ? (handlers.find(view, true), true) : false) },
  {
    keys: ['Ctrl-Shift--'],
    description: 'Split the cell at the cursor (or around the selection)',
    command: (handlers, view) => (handlers.split ? (handlers.split(view), true) : false),
  },
  { keys: ['ArrowUp'], description: 'On the first line: go on into the cell above', command: (handlers, view) => cursorOnFirstLine(view) && handlers.previousCell() },
  { keys: ['ArrowDown'], description: 'On the last line: go on into the cell below', command: (handlers, view) => cursorOnLastLine(view) && handlers.nextCell() },
];

export function notebookKeymap(handlers: NotebookKeyHandlers): Extension {
  return Prec.highest(keymap.of(EDITOR_KEYS.flatMap((binding) => binding.keys.map((key) => ({ key, run: (view: EditorView) => binding.command(handlers, view) })))));
}
