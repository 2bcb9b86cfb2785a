import { describe, expect, it } from 'vitest';
import { appendStreamText, type StreamText } from './stream-text.ts';

const empty: StreamText = { text: '', pendingCarriageReturn: false };

function feed(...chunks: string[]): StreamText {
  return chunks.reduce(appendStreamText, empty);
}

describe('appendStreamText', () => {
  it('appends plain text', () => {
    expect(feed('a\n', 'b', 'c\n')).toEqual({ text: 'a\nbc\n', pendingCarriageReturn: false });
  });

  it('lets text after a carriage return replace the current line', () => {
    expect(feed('start\n 10%\r 50%\r100%\n', 'end\n').text).toBe('start\n100%\nend\n');
  });

  it('keeps a line when the carriage return is followed by a newline', () => {
    expect(feed('a\r\nb\r', '\nc').text).toBe('a\nb\nc');
  });

  it('holds a trailing carriage return until the next chunk (tqdm writes "\\r" + bar)', () => {
    const afterFirst = feed('epoch 1: 10%');
    const pending = appendStreamText(afterFirst, '\r');
    expect(pending).toEqual({ text: 'epoch 1: 10%', pendingCarriageReturn: true });
    expect(appendStreamText(pending, 'epoch 1: 20%').text).toBe('epoch 1: 20%');
  });

  it('only replaces the last line, never earlier ones', () => {
    expect(feed('keep\nold', '\rnew').text).toBe('keep\nnew');
  });

  it('erases with backspace, within the current line only', () => {
    expect(feed('abc\x08\x08d').text).toBe('ad');
    expect(feed('line\n', '\x08\x08x').text).toBe('line\nx');
  });

  it('handles a carriage return with nothing after it but more carriage returns', () => {
    expect(feed('a\r\r\rb').text).toBe('b');
  });
});
