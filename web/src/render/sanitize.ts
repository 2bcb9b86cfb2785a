/**
 * DOMPurify for every piece of HTML we put into the app's own DOM (rendered markdown, ANSI-coloured text).
 * Scripts, event handlers and javascript: URLs are removed; <style> and form controls too, so a markdown cell
 * can't restyle the app or fake parts of its UI. Every `id` and `name` gets the `user-content-` prefix
 * (`SANITIZE_NAMED_PROPS`), so none can clobber a global (`<a id="MathJax">` would be `window.MathJax`), and links
 * to `#x` are pointed at `#user-content-x` to match. SVG and MathML pass (sanitised as DOMPurify does): KaTeX's
 * math is made of them. An image from another site, which the page's policy would block, becomes a placeholder
 * naming the site with a link to open it. Needs a DOM: used in the browser only.
 */
import DOMPurify, { type Config } from 'dompurify';
import { userContentHref } from '../../../server/protocol/user-content.ts';
import { linkTarget, remoteImageHost } from './link-policy.ts';

export const MARKDOWN_PURIFY_CONFIG: Config = {
  USE_PROFILES: { html: true, svg: true, mathMl: true },
  FORBID_TAGS: ['style', 'form', 'button', 'textarea', 'select', 'option'],
  ADD_ATTR: ['target'],
  SANITIZE_NAMED_PROPS: true,
};

/** ansi_up emits only spans (and links for OSC 8 hyperlinks). */
export const ANSI_PURIFY_CONFIG: Config = {
  ALLOWED_TAGS: ['span', 'a', 'b', 'i', 'u'],
  ALLOWED_ATTR: ['style', 'class', 'href', 'target'],
  SANITIZE_NAMED_PROPS: true,
};

let hooksInstalled = false;

function purifier(): typeof DOMPurify {
  if (!hooksInstalled) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.nodeName === 'A') {
        const href = node.getAttribute('href');
        if (href?.startsWith('#')) node.setAttribute('href', userContentHref(href));
        const target = linkTarget(href);
        if (target) {
          node.setAttribute('target', target.target);
          node.setAttribute('rel', target.rel);
        } else {
          node.removeAttribute('target');
        }
      }
      if (node.nodeName === 'IMG') node.setAttribute('loading', 'lazy');
    });
    hooksInstalled = true;
  }
  return DOMPurify;
}

export function sanitizeMarkdownHtml(html: string): string {
  const clean = purifier().sanitize(html, MARKDOWN_PURIFY_CONFIG);
  return /<img\s/i.test(clean) ? withRemoteImagePlaceholders(clean) : clean;
}

/** Each `<img>` the page's policy would block replaced by a note naming its host and a link to open it in a new tab. */
function withRemoteImagePlaceholders(clean: string): string {
  const template = document.createElement('template');
  template.innerHTML = clean;
  let changed = false;
  for (const img of template.content.querySelectorAll('img')) {
    const src = img.getAttribute('src') ?? '';
    const host = remoteImageHost(src, window.location.origin);
    if (host === null) continue;
    const placeholder = document.createElement('span');
    placeholder.className = 'remote-image';
    placeholder.dataset['remoteHost'] = host;
    const label = document.createElement('span');
    label.className = 'remote-image-label';
    const alt = img.getAttribute('alt')?.trim();
    label.textContent = `${alt ? `${alt} — image` : 'Image'} from ${host} (not loaded: remote images are blocked)`;
    const link = document.createElement('a');
    link.href = new URL(src, window.location.href).href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = 'Open image';
    placeholder.append(label, ' ', link);
    img.replaceWith(placeholder);
    changed = true;
  }
  return changed ? template.innerHTML : clean;
}

export function sanitizeAnsiHtml(html: string): string {
  return purifier().sanitize(html, ANSI_PURIFY_CONFIG);
}
