/**
 * Server-side sanitising for the HTML export, with sanitize-html (a parser-based allow-list that needs no DOM):
 * only plain document tags survive; no script, style, event handler, form or frame; links only to http(s),
 * mailto and the document's own anchors; images only as data URLs (an exported file must not call home when it
 * is opened). Ids and anchor names keep the `user-content-` prefix the app gives them (no clobbering of the
 * page's globals), with `#x` links pointed at them.
 */
import sanitizeHtml from 'sanitize-html';
import { marked } from 'marked';
import { mayContainMath, removeMath, replaceMath } from '../protocol/markdown-math.ts';
import { userContentHref, userContentName } from '../protocol/user-content.ts';
import { renderExportMath } from './math.ts';

/** `id` and `name` behind the prefix, on every tag (the allow-list then says which tags keep them). */
function namespaced(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { id, name } = attribs;
  return {
    tagName,
    attribs: { ...attribs, ...(id === undefined ? {} : { id: userContentName(id) }), ...(name === undefined ? {} : { name: userContentName(name) }) },
  };
}

/** Links to elsewhere open in a new tab without a reference back; links within the document jump in place. */
function link(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { href } = attribs;
  if (href === undefined) return { tagName, attribs };
  if (href.startsWith('#')) return { tagName, attribs: { ...attribs, href: userContentHref(href) } };
  return { tagName, attribs: { ...attribs, rel: 'noopener noreferrer', target: '_blank' } };
}

const MARKDOWN_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== 'style'),
    'img',
    'del',
    's',
    'details',
    'summary',
    'sup',
    'sub',
    'kbd',
  ],
  allowedAttributes: {
    '*': ['id'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['align', 'colspan', 'rowspan'],
    td: ['align', 'colspan', 'rowspan'],
    ol: ['start'],
    code: ['class'],
    a: ['href', 'name', 'title', 'rel', 'target'],
    span: ['class'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  transformTags: {
    '*': namespaced,
    a: link,
    // Only embedded images: a relative or remote source could only fail (CSP) or, elsewhere, call out. A remote
    // one becomes a note with its address as text (no tag points at it: opening the file contacts no one).
    img: (tagName, { src, ...attribs }) => {
      if (src?.startsWith('data:image/')) return { tagName, attribs: { ...attribs, src } };
      if (!src || !/^https?:\/\/[^/?#\s]+/i.test(src)) return { tagName, attribs };
      return { tagName: 'span', attribs: { class: 'remote-image' }, text: `Image not included: ${src}` };
    },
  },
  allowedClasses: { code: [/^language-[\w-]+$/], span: ['remote-image'] },
};

/** ansi_up's output: spans with inline colours, and links for OSC 8 hyperlinks. */
const ANSI_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['span', 'a', 'b', 'i', 'u'],
  allowedAttributes: { span: ['style', 'class'], a: ['href'] },
  allowedSchemes: ['http', 'https'],
  allowedStyles: { span: { color: [/^rgb\(\d+,\s*\d+,\s*\d+\)$/], 'background-color': [/^rgb\(\d+,\s*\d+,\s*\d+\)$/], 'font-weight': [/^bold$/] } },
};

/** Untrusted HTML (from markdown or an output) reduced to inert document markup. */
export function sanitizeDocumentHtml(html: string): string {
  return sanitizeHtml(html, MARKDOWN_OPTIONS);
}

/**
 * Markdown to safe HTML, math rendered by KaTeX (server/protocol/markdown-math.ts). `attachments` resolves
 * `attachment:name` image links (nbformat cell attachments) to data URLs before sanitising, so pasted images
 * survive the export.
 */
export function renderMarkdown(source: string, attachments?: (name: string) => string | undefined): string {
  const { text, math } = mayContainMath(source) ? removeMath(source) : { text: source, math: [] };
  const html = marked.parse(text, { async: false, gfm: true });
  const resolved = attachments
    ? html.replace(/(<img[^>]*\ssrc=")attachment:([^"]+)"/g, (whole, start: string, name: string) => {
        const url = attachments(decodeURIComponent(name));
        return url ? `${start}${url}"` : whole;
      })
    : html;
  // The markdown's own HTML passes the document allow-list; the math, KaTeX's.
  return replaceMath(sanitizeDocumentHtml(resolved), math, renderExportMath);
}

/** `text/latex`: its text escaped, its math rendered. */
export function renderLatex(source: string): string {
  const { text, math } = removeMath(source);
  return replaceMath(escapeHtml(text), math, renderExportMath);
}

export function sanitizeAnsiHtml(html: string): string {
  return sanitizeHtml(html, ANSI_OPTIONS);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
