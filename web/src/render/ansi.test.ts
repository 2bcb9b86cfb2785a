import { describe, expect, it } from 'vitest';
import { ansiToUnsafeHtml, hasAnsiCodes } from './ansi.ts';

describe('ANSI text', () => {
  it('turns colour codes into colours and escapes HTML', () => {
    const html = ansiToUnsafeHtml('\u001b[31mKeyError\u001b[0m: <script>alert(1)</script>');
    expect(html).toMatch(/<span style="color:rgb\(\d+,\d+,\d+\)">KeyError<\/span>/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('detects text that needs no HTML at all', () => {
    expect(hasAnsiCodes('plain\n')).toBe(false);
    expect(hasAnsiCodes('\u001b[1mbold')).toBe(true);
  });
});
