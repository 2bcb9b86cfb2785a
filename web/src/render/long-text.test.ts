import { describe, expect, it } from 'vitest';
import type { Output } from '../../../server/protocol/notebook.ts';
import { splitTruncationNote, tailWindow, truncationNoteText } from './long-text.ts';

describe('tailWindow', () => {
  it('keeps short text whole', () => {
    expect(tailWindow('a\nb\n', 10)).toEqual({ text: 'a\nb\n', hiddenChars: 0 });
  });

  it('shows the end of long text, starting at a line', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const window = tailWindow(text, 100);
    expect(window.text.length).toBeLessThanOrEqual(100);
    expect(window.text.startsWith('line ')).toBe(true);
    expect(window.text.endsWith('line 999')).toBe(true);
    expect(window.hiddenChars + window.text.length).toBe(text.length);
  });

  it('cuts mid-line when the last lines are longer than the window', () => {
    const text = `${'x'.repeat(50)}\n${'y'.repeat(500)}`;
    expect(tailWindow(text, 100)).toEqual({ text: 'y'.repeat(100), hiddenChars: text.length - 100 });
  });

  it('shows only the window of megabytes of short lines', () => {
    const text = '1\n'.repeat(5_000_000);
    const window = tailWindow(text, 64 * 1024);
    expect(window.text.length).toBeLessThanOrEqual(64 * 1024);
    expect(window.text.length).toBeGreaterThanOrEqual(64 * 1024 - 2);
    expect(window.text.startsWith('1\n')).toBe(true);
  });
});

describe('truncation notes', () => {
  it("splits the server's note off a cut stream", () => {
    const cut = 'x'.repeat(20) + '\n[Output truncated: limits: 1 MB per stream]\n';
    expect(splitTruncationNote(cut)).toEqual({ body: 'x'.repeat(20), note: 'Output truncated: limits: 1 MB per stream' });
    expect(splitTruncationNote('[Output truncated: in the middle]\nmore\n')).toEqual({ body: '[Output truncated: in the middle]\nmore\n', note: null });
  });

  it('recognises the note output that stands for dropped outputs', () => {
    const note: Output = {
      output_type: 'display_data',
      data: { 'text/plain': '[Output truncated: 3 more outputs omitted (limits)]' },
      metadata: { cellmate: { truncated: true } },
    };
    expect(truncationNoteText(note)).toBe('Output truncated: 3 more outputs omitted (limits)');
    expect(truncationNoteText({ ...note, metadata: {} })).toBeNull();
    expect(truncationNoteText({ output_type: 'stream', name: 'stdout', text: 'x' })).toBeNull();
  });
});
