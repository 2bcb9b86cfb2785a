import { describe, expect, it } from 'vitest';
import { markdownToUnsafeHtml } from './markdown.ts';

describe('markdownToUnsafeHtml', () => {
  it('renders GitHub-flavoured markdown', () => {
    expect(markdownToUnsafeHtml('# Title\n\n| a |\n|---|\n| 1 |')).toContain('<table>');
    expect(markdownToUnsafeHtml('~~gone~~')).toContain('<del>gone</del>');
  });

  it('resolves attachment images', () => {
    const html = markdownToUnsafeHtml('![plot](attachment:p.png)', { 'p.png': { 'image/png': 'AAAA' } });
    expect(html).toContain('src="data:image/png;base64,AAAA"');
  });
});
