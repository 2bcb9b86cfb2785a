/**
 * The notebook's keys, as in JupyterLab, in one table (`COMMAND_KEYS`) that both handles command mode (focus on
 * a cell, not in its editor) and fills the shortcut sheet, so the two cannot drift; `EDIT_KEYS` are the cell
 * editor's, from its keymap's own table (editor/notebook-keymap.ts). Keys are written as on the sheet:
 * `Mod` is Ctrl, or Cmd on macOS; "D, D" is D pressed twice quickly. Undo (Z, Mod+Z) is the server's, shared by
 * every tab of the notebook; in a cell's editor the same keys undo typing instead.
 */
import type { NotebookStore } from '../state/notebook-store.ts';
import {
  copySelected,
  cutSelected,
  deleteSelected,
  extendSelection,
  mergeSelected,
  moveSelected,
  paste,
  runSelected,
  selectAll,
  setSelectedType,
} from '../state/cell-commands.ts';
import { cellIndex, editCell, insertCell, selectRelative } from '../state/notebook-commands.ts';
import { interruptKernel } from '../state/run-commands.ts';
import { EDITOR_KEYS } from '../editor/notebook-keymap.ts';
import { shortcutSheet } from './shortcut-sheet.ts';

export interface KeyBinding {
  /** The keys as the sheet shows them; any of them does it. A key is `Mod+Shift+Alt+Name`, its modifiers optional. */
  keys: string[];
  description: string;
  /** Pressed twice quickly (D, D): the first press only waits for the second. */
  isDouble?: boolean;
  /** Needs an active cell. */
  needsCell?: boolean;
  run(nb: NotebookStore): void;
}

const DOUBLE_PRESS_MS = 600;
/** The last key of a possible double press (D,D / I,I / 0,0) and when it came. */
let lastPress = { key: '', at: 0 };

/** True on the second of two presses of `key` in a row, quickly enough. */
function isDoublePress(key: string): boolean {
  const now = Date.now();
  const isDouble = lastPress.key === key && now - lastPress.at < DOUBLE_PRESS_MS;
  lastPress = isDouble ? { key: '', at: 0 } : { key, at: now };
  return isDouble;
}

const activeCell = (nb: NotebookStore) => nb.state.ui.selected!;

export const COMMAND_KEYS: KeyBinding[] = [
  { keys: ['Enter'], description: 'Edit the cell', needsCell: true, run: (nb) => editCell(nb, activeCell(nb)) },
  { keys: ['Shift+Enter'], description: 'Run the selected cells and select the next', needsCell: true, run: (nb) => runSelected(nb, 'advance', 'keyboard') },
  { keys: ['Mod+Enter'], description: 'Run the selected cells', needsCell: true, run: (nb) => runSelected(nb, 'stay', 'keyboard') },
  { keys: ['Alt+Enter'], description: 'Run the selected cells and insert a cell below', needsCell: true, run: (nb) => runSelected(nb, 'insert', 'keyboard') },
  { keys: ['ArrowUp', 'K'], description: 'Select the cell above', run: (nb) => selectRelative(nb, -1) },
  { keys: ['ArrowDown', 'J'], description: 'Select the cell below', run: (nb) => selectRelative(nb, 1) },
  { keys: ['Shift+ArrowUp', 'Shift+K'], description: 'Extend the selection up', run: (nb) => extendSelection(nb, -1) },
  { keys: ['Shift+ArrowDown', 'Shift+J'], description: 'Extend the selection down', run: (nb) => extendSelection(nb, 1) },
  { keys: ['Mod+A'], description: 'Select all cells', run: (nb) => selectAll(nb) },
  { keys: ['A'], description: 'Insert a code cell above', needsCell: true, run: (nb) => void insertCell(nb, 'code', cellIndex(nb, nb.selectedIds()[0] ?? null), 'keyboard') },
  { keys: ['B'], description: 'Insert a code cell below', needsCell: true, run: (nb) => void insertCell(nb, 'code', cellIndex(nb, nb.selectedIds().at(-1) ?? null) + 1, 'keyboard') },
  { keys: ['C'], description: 'Copy the selected cells', needsCell: true, run: (nb) => void copySelected(nb) },
  { keys: ['X'], description: 'Cut the selected cells', needsCell: true, run: (nb) => cutSelected(nb, 'keyboard') },
  { keys: ['V'], description: 'Paste cells below', run: (nb) => paste(nb, 'below', 'keyboard') },
  { keys: ['Shift+V'], description: 'Paste cells above', run: (nb) => paste(nb, 'above', 'keyboard') },
  { keys: ['D'], isDouble: true, description: 'Delete the selected cells', needsCell: true, run: (nb) => deleteSelected(nb, 'keyboard') },
  { keys: ['Shift+M'], description: 'Merge the selected cells (one cell: with the cell below)', needsCell: true, run: (nb) => mergeSelected(nb, 'keyboard') },
  { keys: ['Mod+Shift+ArrowUp'], description: 'Move the selected cells up', needsCell: true, run: (nb) => moveSelected(nb, -1, 'keyboard') },
  { keys: ['Mod+Shift+ArrowDown'], description: 'Move the selected cells down', needsCell: true, run: (nb) => moveSelected(nb, 1, 'keyboard') },
  { keys: ['M'], description: 'Change to markdown', needsCell: true, run: (nb) => setSelectedType(nb, 'markdown', 'keyboard') },
  { keys: ['Y'], description: 'Change to code', needsCell: true, run: (nb) => setSelectedType(nb, 'code', 'keyboard') },
  { keys: ['R'], description: 'Change to raw', needsCell: true, run: (nb) => setSelectedType(nb, 'raw', 'keyboard') },
  { keys: ['Z', 'Mod+Z'], description: 'Undo the last cell operation (in this notebook, from any tab)', run: (nb) => void nb.command({ type: 'undo', source: 'keyboard' }) },
  { keys: ['Shift+Z', 'Mod+Shift+Z'], description: 'Redo', run: (nb) => void nb.command({ type: 'redo', source: 'keyboard' }) },
  { keys: ['I'], isDouble: true, description: 'Interrupt the kernel', run: (nb) => interruptKernel(nb) },
  { keys: ['0'], isDouble: true, description: 'Restart the kernel (asks first)', run: (nb) => nb.setConfirm('restart') },
  { keys: ['H'], description: 'Show the keyboard shortcuts', run: () => shortcutSheet.open() },
];

/** The cell editor's keys for the sheet, from the editor's own table (CodeMirror's `Ctrl-Shift--` read as `Ctrl+Shift+-`). */
export const EDIT_KEYS: { keys: string[]; description: string }[] = [
  ...EDITOR_KEYS.map(({ keys, description }) => ({ keys: keys.map((key) => key.split(/-(?!$)/).join('+')), description })),
  // The kernel's help in code cells (editor/kernel-assist.ts), with its own keymap.
  { keys: ['Tab'], description: "Take the model's ghost text when one shows (Escape: dismiss it); else complete from the kernel (where only whitespace is before the cursor: indent)" },
  { keys: ['Shift+Tab'], description: "Show the kernel's documentation of the name at the cursor (in leading whitespace: dedent)" },
  // CodeMirror's own history keys, kept in the editor: they undo typing, not cell operations.
  { keys: ['Mod+Z', 'Mod+Shift+Z'], description: 'Undo or redo typing' },
];

/** Whether `event` is `key` (as written in the table): the same name and exactly these modifiers. */
export function matchesKey(key: string, event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): boolean {
  const parts = key.split('+');
  const name = parts.pop()!;
  const wants = new Set(parts);
  // Mod is Ctrl or Cmd, either one, as the existing keys took both.
  if (wants.has('Mod') !== (event.ctrlKey || event.metaKey)) return false;
  if (wants.has('Shift') !== event.shiftKey || wants.has('Alt') !== event.altKey) return false;
  return event.key.toLowerCase() === name.toLowerCase();
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return target.closest('input, select, textarea, button, a[href], .cm-editor, iframe, .dialog-backdrop') !== null;
}

/** Handles one keydown; returns whether it was a notebook command (the caller then prevents the default). */
export function handleCommandKey(nb: NotebookStore, event: KeyboardEvent): boolean {
  if (nb.state.ui.mode !== 'command' || isTypingTarget(event.target)) return false;
  const binding = COMMAND_KEYS.find((candidate) => candidate.keys.some((key) => matchesKey(key, event)));
  if (!binding) return false;
  if (binding.needsCell && cellIndex(nb, nb.state.ui.selected) < 0) return false;
  if (binding.isDouble && !isDoublePress(event.key.toLowerCase())) return true;
  binding.run(nb);
  return true;
}
