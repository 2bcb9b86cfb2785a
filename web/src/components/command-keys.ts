/**
 * Command-mode keys (focus on a cell, not in its editor), as in JupyterLab: Enter edits; Shift/Ctrl/Alt+Enter
 * run; ↑/↓ or K/J move the selection; A/B insert above/below; M/Y/R change the type; D,D deletes; I,I interrupts the
 * kernel; 0,0 restarts it (after a confirmation). Ctrl+Z (or Z) undoes the last cell operation anyone made in the
 * notebook, which after D,D brings the deleted cell back; Ctrl+Shift+Z (or Shift+Z) redoes. Undo is the server's,
 * shared by every tab of the notebook; in a cell's editor the same keys undo typing instead.
 */
import type { NotebookStore } from '../state/notebook-store.ts';
import { cellIndex, deleteCell, editCell, insertCell, runCell, selectRelative, setCellType } from '../state/notebook-commands.ts';
import { interruptKernel } from '../state/run-commands.ts';

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

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return target.closest('input, select, textarea, button, a[href], .cm-editor, iframe') !== null;
}

/** Handles one keydown; returns whether it was a notebook command (the caller then prevents the default). */
export function handleCommandKey(nb: NotebookStore, event: KeyboardEvent): boolean {
  if (nb.state.ui.mode !== 'command' || isTypingTarget(event.target)) return false;
  const id = nb.state.ui.selected;
  const index = cellIndex(nb, id);
  if (event.key === 'ArrowUp' || (event.key === 'k' && !event.ctrlKey && !event.metaKey)) {
    selectRelative(nb, -1);
    return true;
  }
  if (event.key === 'ArrowDown' || (event.key === 'j' && !event.ctrlKey && !event.metaKey)) {
    selectRelative(nb, 1);
    return true;
  }
  if (event.key.toLowerCase() === 'z' && !event.altKey) {
    nb.command({ type: event.shiftKey ? 'redo' : 'undo', source: 'keyboard' });
    return true;
  }
  if (id === null || index < 0) return false;
  if (event.key === 'Enter') {
    if (event.shiftKey) runCell(nb, id, 'advance', 'keyboard');
    else if (event.ctrlKey || event.metaKey) runCell(nb, id, 'stay', 'keyboard');
    else if (event.altKey) runCell(nb, id, 'insert', 'keyboard');
    else editCell(nb, id);
    return true;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  switch (event.key.toLowerCase()) {
    case 'a':
      insertCell(nb, 'code', index, 'keyboard');
      return true;
    case 'b':
      insertCell(nb, 'code', index + 1, 'keyboard');
      return true;
    case 'm':
      setCellType(nb, id, 'markdown', 'keyboard');
      return true;
    case 'y':
      setCellType(nb, id, 'code', 'keyboard');
      return true;
    case 'r':
      setCellType(nb, id, 'raw', 'keyboard');
      return true;
    case 'd':
      if (isDoublePress('d')) deleteCell(nb, id, 'keyboard');
      return true;
    case 'i':
      if (isDoublePress('i')) interruptKernel(nb);
      return true;
    case '0':
      if (isDoublePress('0')) nb.setConfirm('restart');
      return true;
    default:
      return false;
  }
}
