import { describe, expect, it } from 'vitest';
import { CellId, createCell } from '../protocol/index.ts';
import { chatMessages, CURSOR_MARK, inlineContext, MAX_SUGGESTION_CHARS, MAX_SUGGESTION_LINES, sanitizeSuggestion, type InlineContext } from './inline-prompt.ts';

const at = (prefix: string, suffix = ''): InlineContext => ({ prefix, suffix, language: 'python' });

describe('inlineContext', () => {
  const cells = [
    createCell('code', 'import math', CellId.from('a')),
    createCell('markdown', '# Title', CellId.from('m')),
    createCell('code', '   ', CellId.from('blank')),
    createCell('code', 'old text', CellId.from('here')),
    createCell('raw', 'raw', CellId.from('r')),
    createCell('code', 'print(1)', CellId.from('b')),
  ];

  it('puts the code cells above before the cursor and those below after it, the editor text in between', () => {
    expect(inlineContext(cells, 'here', 'x = 1\ny = ', 10, 'python')).toEqual({ prefix: 'import math\n\nx = 1\ny = ', suffix: '\n\nprint(1)', language: 'python' });
  });

  it('never starts or ends inside a surrogate pair when it cuts', () => {
    const emoji = '😀'.repeat(5000);
    // A letter on each side of the cursor puts both bounds in the middle of a pair.
    const context = inlineContext([], 'x', `${emoji}xy${emoji}`, emoji.length + 1, 'python');
    expect(context.prefix).toBe(`${emoji.slice(-3998)}x`);
    expect(context.suffix).toBe(`y${emoji.slice(0, 1498)}`);
  });
});

describe('chatMessages', () => {
  it('marks the cursor in the code and says to answer with the text to insert only', () => {
    const [system, user] = chatMessages(at('x = ', '\nprint(x)'));
    expect(system?.content).toMatch(/no code fences/);
    expect(user?.content).toContain(`x = ${CURSOR_MARK}\nprint(x)`);
  });
});

describe('sanitizeSuggestion', () => {
  it('keeps a plain FIM answer as it is, less trailing blank lines', () => {
    expect(sanitizeSuggestion('range(10):\n    pass\n\n', at('for i in '), false)).toBe('range(10):\n    pass');
  });

  it('drops control and bidirectional characters, and an answer of whitespace', () => {
    expect(sanitizeSuggestion('a\u202e\u2066b\x1b\x00c\r\n', at(''), false)).toBe('abc');
    expect(sanitizeSuggestion(' \n\t\n', at(''), false)).toBe('');
  });

  it('takes the code out of a chat answer in fences, without the cursor mark or the repeated line', () => {
    expect(sanitizeSuggestion('Sure:\n```\ntotal = sum(xs)<CURSOR>\n```\nDone.', at('x = 1\ntotal = '), true)).toBe('sum(xs)');
    expect(sanitizeSuggestion('```python\n    return x + 1', at('def f(x):\n    return '), true)).toBe('x + 1');
  });

  it('drops an end that repeats the whole rest of the line, not an end that merely looks like it', () => {
    expect(sanitizeSuggestion('len(xs))', at('print(', ')'), false)).toBe('len(xs)');
    expect(sanitizeSuggestion('sum(xs)', at('total = ', ')  # total\nnext'), false)).toBe('sum(xs)');
  });

  it('is bounded in lines and characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => `line${i}`).join('\n');
    expect(sanitizeSuggestion(many, at(''), false).split('\n')).toHaveLength(MAX_SUGGESTION_LINES);
    expect(sanitizeSuggestion('x'.repeat(5000), at(''), false)).toHaveLength(MAX_SUGGESTION_CHARS);
  });
});
