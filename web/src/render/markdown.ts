/** Markdown (cells and `text/markdown` outputs) to sanitized HTML. */
import { Marked } from 'marked';
import { attachmentUrl } from './link-policy.ts';
import { sanitizeMarkdownHtml } from './sanitize.ts';

const marked = new Marked({ gfm: true, breaks: false });

/**
 * Markdown to HTML, NOT yet safe to insert: raw HTML in the source passes through. Pure, so tested in node;
 * `renderMarkdown` is what the UI uses.
 */
export function markdownToUnsafeHtml(source: string, attachments?: Record<string, unknown>): string {
  const tokens = marked.lexer(source);
  marked.walkTokens(tokens, (token) => {
    if (token.type === 'image' && 'href' in token && typeof token.href === 'string') {
      const url = attachmentUrl(token.href, attachments);
      if (url) token.href = url;
    }
  });
  return marked.parser(tokens);
}

export function renderMarkdown(source: string, attachments?: Record<string, unknown>): string {
  return sanitizeMarkdownHtml(markdownToUnsafeHtml(source, attachments));
}
