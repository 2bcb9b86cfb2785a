import { EditorSelection, EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { isIndentPosition } from './kernel-assist.ts';
import { toCompletionResult } from './kernel-completion.ts';

const at = (doc: string, anchor: number, head = anchor) => EditorState.create({ doc, selection: EditorSelection.single(anchor, head) });

describe('isIndentPosition', () => {
  it('indents where only whitespace is before the cursor on its line, or text is selected, as JupyterLab', () => {
    expect(isIndentPosition(at('', 0))).toBe(true);
    expect(isIndentPosition(at('x = 1\n    ', 10))).toBe(true);
    expect(isIndentPosition(at('x = 1\n  y', 8))).toBe(true);
    expect(isIndentPosition(at('import o', 3, 8))).toBe(true);
    expect(isIndentPosition(at('import o', 8))).toBe(false);
    expect(isIndentPosition(at('x = 1\n  y', 9))).toBe(false);
  });
});

describe('toCompletionResult', () => {
  it("maps the kernel's code point range to UTF-16 offsets, and names each match's type", () => {
    const code = 's = "😀"; import o';
    const result = toCompletionResult(code, {
      status: 'ok',
      matches: ['os', 'operator'],
      cursor_start: 16,
      cursor_end: 17,
      metadata: { _jupyter_types_experimental: [{ start: 16, end: 17, text: 'os', type: 'module', signature: '' }] },
    });
    expect(result).toMatchObject({ from: 17, to: 18 });
    expect(code.slice(result!.from, result!.to)).toBe('o');
    expect(result!.options).toEqual([{ label: 'os', detail: 'module', type: 'namespace' }, { label: 'operator' }]);
  });

  it('is nothing for no matches', () => {
    expect(toCompletionResult('x', { status: 'busy', matches: [], cursor_start: 1, cursor_end: 1, metadata: {} })).toBeNull();
  });
});
