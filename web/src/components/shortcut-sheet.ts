/**
 * Whether the keyboard shortcut sheet is open (H, or the header's "Keyboard shortcuts"), and how keys are
 * written on this system: Cmd for the primary modifier on macOS, Ctrl elsewhere, as CodeMirror's `Mod` reads.
 */
import { createSignal } from 'solid-js';

const [isOpen, setOpen] = createSignal(false);

export const shortcutSheet = {
  isOpen,
  open: () => setOpen(true),
  close: () => setOpen(false),
};

export function isMac(): boolean {
  if (typeof navigator === 'undefined') return false;
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** A key as the sheet shows it: `Mod` becomes Cmd on macOS and Ctrl elsewhere. */
export function displayKey(key: string, mac: boolean = isMac()): string {
  return key.replace(/\bMod\b/g, mac ? 'Cmd' : 'Ctrl');
}
