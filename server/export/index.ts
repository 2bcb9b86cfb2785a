export { toPercentScript } from './python.ts';
export { toHtmlPage, EXPORT_CSP } from './html.ts';
export { renderMarkdown, sanitizeDocumentHtml } from './sanitize.ts';
