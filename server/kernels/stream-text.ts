/**
 * Appending a chunk of stream output the way a terminal (and JupyterLab) shows it: text after a carriage return
 * replaces the current line, so a progress bar printed with `\r` stays one line; a backspace removes the previous
 * character of the current line.
 */

export interface StreamText {
  text: string;
  /**
   * The text ended with `\r`: the current line is replaced by whatever comes next, unless that is a newline.
   * Kept apart from `text` so a saved output never ends with a dangling `\r`.
   */
  pendingCarriageReturn: boolean;
}

// `\x08` is backspace (`\b` in a regex would mean a word boundary).
const CONTROL = /[\r\n\x08]/;

/**
 * @example
 *   appendStreamText({ text: '', pendingCarriageReturn: false }, ' 10%\r 20%\r')
 *   // → { text: ' 20%', pendingCarriageReturn: true }
 */
export function appendStreamText(current: StreamText, chunk: string): StreamText {
  let { text, pendingCarriageReturn } = current;
  if (!CONTROL.test(chunk) && !pendingCarriageReturn) return { text: text + chunk, pendingCarriageReturn };

  let lineStart = text.lastIndexOf('\n') + 1;
  // split with a capture group keeps the separators at the odd indices.
  const parts = chunk.split(/(\r\n|\r|\n|\x08)/);
  for (const [index, part] of parts.entries()) {
    if (index % 2 === 0) {
      if (part === '') continue;
      if (pendingCarriageReturn) {
        text = text.slice(0, lineStart);
        pendingCarriageReturn = false;
      }
      text += part;
    } else if (part === '\r') {
      pendingCarriageReturn = true;
    } else if (part === '\x08') {
      if (pendingCarriageReturn) continue; // the cursor is at the line start: nothing to erase
      if (text.length > lineStart) text = text.slice(0, -1);
    } else {
      // '\n' or '\r\n': a newline keeps the current line, even right after a '\r'.
      pendingCarriageReturn = false;
      text += '\n';
      lineStart = text.length;
    }
  }
  return { text, pendingCarriageReturn };
}
