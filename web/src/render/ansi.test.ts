import { describe, expect, it } from 'vitest';
import { ansiToUnsafeHtml, hasAnsiCodes } from './ansi.ts';

describe('ANSI text', () => {
  it('turns colour codes into the colour classes of the theme and escapes HTML', () => {
    const html = ansiToUnsafeHtml('\u001b[31mKeyError\u001b[0m: <script>alert(1)</script>');
    expect(html).toContain('<span class="ansi-red-fg">KeyError</span>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('hands 256-colour and true-colour codes to the theme as variables, keeping bold and the 16-colour classes', () => {
    expect(ansiToUnsafeHtml('\u001b[38;5;208mwarm\u001b[0m')).toBe('<span style="--ansi-fg:rgb(255,135,0)" class="ansi-ext-fg">warm</span>');
    expect(ansiToUnsafeHtml('\u001b[1;38;5;28mdef\u001b[0m')).toBe('<span style="font-weight:bold;--ansi-fg:rgb(0,135,0)" class="ansi-ext-fg">def</span>');
    expect(ansiToUnsafeHtml('\u001b[38;5;241;43m1\u001b[0m')).toBe('<span style="--ansi-fg:rgb(98,98,98)" class="ansi-yellow-bg ansi-ext-fg">1</span>');
    expect(ansiToUnsafeHtml('\u001b[48;2;10;20;30mx\u001b[0m')).toBe('<span style="--ansi-bg:rgb(10,20,30)" class="ansi-ext-bg">x</span>');
  });

  it('detects text that needs no HTML at all', () => {
    expect(hasAnsiCodes('plain\n')).toBe(false);
    expect(hasAnsiCodes('\u001b[1mbold')).toBe(true);
  });
});
