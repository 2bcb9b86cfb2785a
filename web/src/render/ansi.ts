/**
 * Terminal text (streams, tracebacks, text/plain) with ANSI colours as colours. ansi_up escapes the text's HTML;
 * its result still goes through DOMPurify, and text without escape codes skips HTML altogether.
 */
import { AnsiUp } from 'ansi_up';
import { sanitizeAnsiHtml } from './sanitize.ts';

export function hasAnsiCodes(text: string): boolean {
  return text.includes('\u001b[') || text.includes('\u001b]');
}

/** HTML for ANSI-coloured text, escaped by ansi_up. A fresh converter each time: colour state must not leak between outputs. */
export function ansiToUnsafeHtml(text: string): string {
  const converter = new AnsiUp();
  // Classes, not inline colours, for the 16 terminal colours: the theme's palette (styles/ansi.css) keeps
  // them readable in light and dark.
  converter.use_classes = true;
  return converter.ansi_to_html(text);
}

export function renderAnsi(text: string): string {
  return sanitizeAnsiHtml(ansiToUnsafeHtml(text));
}
