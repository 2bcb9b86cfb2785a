import { describe, expect, it } from 'vitest';
import { ansiToUnsafeHtml, hasAnsiCodes } from './ansi.ts';

describe('ANSI text', () => {
  it('turns colour codes into the colour classes of the theme and escapes HTML', () => {
    const html = ansiToUnsafeHtml('\u001b[31mKeyError\u001b[0m: <script>alert(1)</script>');
    expect(html).toContain('<span class="ansi-red-fg">KeyError</span>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('keeps 256-colour codes as the colour they ask for', () => {
    expect(ansiToUnsafeHtml('\u001b[38;5;208mwarm\u001b[0m')).toBe('<span style="color:rgb(255,135,0)">warm</span>');
  });

  it('detects text that needs no HTML at all', () => {
    expect(hasAnsiCodes('plain\n')).toBe(false);
    expect(hasAnsiCodes('\u001b[1mbold')).toBe(true);
  });
});
