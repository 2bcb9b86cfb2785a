import { describe, expect, it } from 'vitest';
import { renderMarkdown, sanitizeDocumentHtml } from './sanitize.ts';

/** Every value of `attribute` in the markup. */
function values(html: string, attribute: string): string[] {
  return [...html.matchAll(new RegExp(`\\s${attribute}="([^"]*)"`, 'g'))].map((match) => match[1] ?? '');
}

describe('the export sanitiser: ids and names', () => {
  const clobbering = [
    '<a id="MathJax" name="MathJax">m</a>',
    '<img name="getElementById" src="data:image/png;base64,AAAA">',
    '<img id="cookie" name="cookie" src="data:image/png;base64,AAAA">',
    '<form name="x" id="forms"><input name="attributes" id="attributes"></form>',
    '<embed name="body" id="body"><object name="domain" id="domain"></object>',
    '<h2 id="location">Where</h2><p id="user-content-kept">kept</p>',
  ].join('\n');

  it('keeps ids and anchor names only behind the user-content- prefix', () => {
    const html = sanitizeDocumentHtml(clobbering);
    expect(values(html, 'id')).toEqual(['user-content-MathJax', 'user-content-cookie', 'user-content-location', 'user-content-kept']);
    expect(values(html, 'name')).toEqual(['user-content-MathJax']);
    // Forms, inputs, embeds and objects are not document markup at all.
    expect(html).not.toMatch(/<(form|input|embed|object)\b/);
    expect(html).toContain('Where');
  });

  it('points links to the document’s own anchors at the prefixed targets, and they jump in place', () => {
    const html = renderMarkdown('[to the results](#results) and [away](https://example.com)\n\n<a id="results"></a>\n\n## Results');
    expect(html).toContain('<a href="#user-content-results">to the results</a>');
    expect(values(html, 'id')).toEqual(['user-content-results']);
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer" target="_blank">away</a>');
    // Every in-document link has its target in the document.
    for (const href of values(html, 'href').filter((value) => value.startsWith('#'))) expect(values(html, 'id')).toContain(href.slice(1));
  });

  it('leaves a bare "#" link and an already prefixed link alone', () => {
    expect(sanitizeDocumentHtml('<a href="#">top</a><a href="#user-content-x">x</a>')).toBe('<a href="#">top</a><a href="#user-content-x">x</a>');
  });
});
