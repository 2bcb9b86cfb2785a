/**
 * Markdown (cells, `text/markdown` outputs, the assistant's replies) to sanitized HTML, math included: the math
 * is cut out before marked parses (server/protocol/markdown-math.ts), rendered by KaTeX when the caller has it
 * loaded, and everything is sanitised after, KaTeX's markup too.
 */
import { Marked } from 'marked';
import { escapeText, mayContainMath, removeMath, replaceMath, type MathPiece } from '../../../server/protocol/markdown-math.ts';
import { attachmentUrl } from './link-policy.ts';
import { sanitizeMarkdownHtml } from './sanitize.ts';

const marked = new Marked({ gfm: true, breaks: false });

/** Math as HTML (KaTeX's, see render/katex.ts); without one, math shows as its source until KaTeX is loaded. */
export type MathRenderer = (piece: MathPiece) => string;

/** Math shown as written, marked so the page can tell it apart from rendered math. */
export function pendingMath(piece: MathPiece): string {
  return `<span class="math-pending">${escapeText(piece.source)}</span>`;
}

/**
 * Markdown to HTML, NOT yet safe to insert: raw HTML in the source passes through. Pure, so tested in node;
 * `renderMarkdown` is what the UI uses.
 */
export function markdownToUnsafeHtml(source: string, attachments?: Record<string, unknown>, renderMath: MathRenderer = pendingMath): string {
  const { text, math } = mayContainMath(source) ? removeMath(source) : { text: source, math: [] };
  const tokens = marked.lexer(text);
  marked.walkTokens(tokens, (token) => {
    if (token.type === 'image' && 'href' in token && typeof token.href === 'string') {
      const url = attachmentUrl(token.href, attachments);
      if (url) token.href = url;
    }
  });
  return replaceMath(marked.parser(tokens), math, renderMath);
}

export function renderMarkdown(source: string, attachments?: Record<string, unknown>, renderMath?: MathRenderer): string {
  return sanitizeMarkdownHtml(markdownToUnsafeHtml(source, attachments, renderMath));
}

/** A `text/latex` output: its text as written, with the math in it rendered (as JupyterLab typesets it). */
export function renderLatex(source: string, renderMath?: MathRenderer): string {
  const { text, math } = removeMath(source);
  return sanitizeMarkdownHtml(replaceMath(escapeText(text), math, renderMath ?? pendingMath));
}
