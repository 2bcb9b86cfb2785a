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
  return themeableColours(converter.ansi_to_html(text));
}

/**
 * ansi_up writes 256-colour and true-colour codes (IPython's highlighted source lines in tracebacks use them) as
 * inline colours. Moved into the variables `--ansi-fg` / `--ansi-bg` with a class, the theme keeps their hue and
 * moves their lightness to where it reads (styles/ansi.css): pure blue on a dark page otherwise disappears.
 * The input is ansi_up's own markup, whose text is escaped, so its span tags are all this matches.
 */
function themeableColours(html: string): string {
  return html.replace(/<span style="([^"]*)"(?: class="([^"]*)")?>/g, (_tag, style: string, classes: string | undefined) => {
    const added: string[] = [];
    const declarations = style.split(';').map((declaration) => {
      if (declaration.startsWith('color:')) {
        added.push('ansi-ext-fg');
        return `--ansi-fg:${declaration.slice('color:'.length)}`;
      }
      if (declaration.startsWith('background-color:')) {
        added.push('ansi-ext-bg');
        return `--ansi-bg:${declaration.slice('background-color:'.length)}`;
      }
      return declaration;
    });
    const classList = [classes, ...added].filter(Boolean).join(' ');
    return `<span style="${declarations.join(';')}"${classList ? ` class="${classList}"` : ''}>`;
  });
}

export function renderAnsi(text: string): string {
  return sanitizeAnsiHtml(ansiToUnsafeHtml(text));
}
