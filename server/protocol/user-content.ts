/**
 * Untrusted markup (markdown cells, markdown outputs, the assistant's replies) keeps its `id`s and `name`s only
 * behind a prefix, as GitHub does: an element named `MathJax` or `getElementById` would otherwise become
 * `window.MathJax` or shadow `document.getElementById` in the page that shows it (DOM clobbering). In-page links
 * are rewritten to match, so `[see](#results)` still reaches `<a id="results">`. Shared by the app's sanitiser
 * (DOMPurify's `SANITIZE_NAMED_PROPS`, which uses the same prefix) and the HTML export's (sanitize-html).
 */

export const USER_CONTENT_PREFIX = 'user-content-';

/** An `id` or `name` value with the prefix (once). */
export function userContentName(value: string): string {
  return value.startsWith(USER_CONTENT_PREFIX) ? value : USER_CONTENT_PREFIX + value;
}

/**
 * A link to a fragment of the same document (`#x`) pointed at the prefixed target; any other link unchanged.
 *
 * @example userContentHref('#results') // '#user-content-results'
 */
export function userContentHref(href: string): string {
  if (!href.startsWith('#') || href.length === 1) return href;
  return `#${userContentName(href.slice(1))}`;
}
