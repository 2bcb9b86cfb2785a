/**
 * What the person attaches to their next prompt, shown as chips in the composer: files, kernel variables and
 * cells (by `@` in the prompt, or "Ask about this" on selected cells). Only references go to the server, which
 * reads what they name itself. One list for the page, kept for the notebook it was made in.
 */
import { createStore } from 'solid-js/store';
import { MAX_ATTACHMENTS, type ContextRef } from '../../../server/protocol/agent-context.ts';

export interface ContextChip {
  ref: ContextRef;
  /** What the chip says: a file's name, a variable's name, `cell 3`. */
  label: string;
  /** A short description: a file's size, a variable's type and shape, a cell's first line. */
  detail: string;
}

/** One key per thing named, so the same file is not attached twice. */
export function chipKey(ref: ContextRef): string {
  return ref.kind === 'file' ? `file:${ref.path}` : ref.kind === 'variable' ? `variable:${ref.name}` : `cell:${ref.id}`;
}

const [state, setState] = createStore<{ path: string | null; chips: ContextChip[]; openRequests: number }>({ path: null, chips: [], openRequests: 0 });

export const agentChips = {
  /** The chips of `path`'s composer (none when the list was made for another notebook). */
  list(path: string | null): ContextChip[] {
    return state.path === path ? state.chips : [];
  },
  /** Adds chips (those already there are kept once; at most `MAX_ATTACHMENTS`); false when some didn't fit. */
  add(path: string, chips: readonly ContextChip[]): boolean {
    const current = state.path === path ? [...state.chips] : [];
    let fitted = true;
    for (const chip of chips) {
      if (current.some((c) => chipKey(c.ref) === chipKey(chip.ref))) continue;
      if (current.length >= MAX_ATTACHMENTS) fitted = false;
      else current.push(chip);
    }
    setState({ path, chips: current });
    return fitted;
  },
  remove(key: string): void {
    setState('chips', (chips) => chips.filter((chip) => chipKey(chip.ref) !== key));
  },
  clear(): void {
    setState('chips', []);
  },
  /** Asks the assistant's panel to open and focus its prompt (after "Ask about this"). */
  requestOpen(): void {
    setState('openRequests', (n) => n + 1);
  },
  openRequests(): number {
    return state.openRequests;
  },
};
