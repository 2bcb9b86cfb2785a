/**
 * Keystrokes typed before a new cell exists. A cell inserted here appears when the server's echo arrives (a few
 * milliseconds, more on a slow link); until then the new cell's editor does not exist, and typing would land in
 * the previous cell or be lost. Meanwhile the keys go to a hidden textarea, and the new editor takes its text
 * when it opens.
 */
import { createContext, useContext } from 'solid-js';

export interface PendingInput {
  /** The hidden textarea; the page renders it. */
  readonly element: HTMLTextAreaElement;
  /** Starts collecting keystrokes (focuses the textarea), unless it already is. */
  capture(): void;
  /** Stops collecting and returns what was typed. */
  take(): string;
}

export function createPendingInput(onEscape: () => void): PendingInput {
  const element = document.createElement('textarea');
  element.className = 'pending-input';
  element.setAttribute('aria-hidden', 'true');
  element.tabIndex = -1;
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') onEscape();
  });
  let active = false;
  return {
    element,
    capture() {
      if (active) return;
      active = true;
      element.value = '';
      element.focus({ preventScroll: true });
    },
    take() {
      if (!active) return '';
      active = false;
      const text = element.value;
      element.value = '';
      return text;
    },
  };
}

export const PendingInputContext = createContext<PendingInput>();

export function usePendingInput(): PendingInput | undefined {
  return useContext(PendingInputContext);
}
