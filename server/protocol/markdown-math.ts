/**
 * Math in markdown, found as Jupyter finds it, so notebooks written for JupyterLab render the same here.
 * Markdown would mangle TeX (`_` and `*` become emphasis, `\\` a line break), so the math is cut out before
 * the markdown parser runs and put back, rendered, into its HTML. Shared by the app (KaTeX in the browser) and
 * the HTML export (KaTeX on the server); rendering is left to the caller, so this file has no dependencies.
 *
 * The splitting follows JupyterLab's `removeMath` (packages/rendermime/src/latex.ts, after IPython's MathJax
 * glue): delimiters `$…$`, `$$…$$`, `\begin{env}…\end{env}`, `\(…\)` and `\[…\]` (with one backslash, or two
 * as Jupyter's markdown needs); braces balance; math never crosses a blank line; a `\$` is a dollar sign; `$`
 * inside code spans and fenced code is not math.
 *
 * @example
 *   const { text, math } = removeMath('Energy $E = m_1 c^2$.');   // text: 'Energy @@0@@.'
 *   replaceMath(marked.parse(text), math, (m) => katex.renderToString(m.tex, { displayMode: m.display }));
 */

/** One piece of math: the TeX to render (without `$` or `\(` delimiters) and whether it is a display. */
export interface MathPiece {
  tex: string;
  display: boolean;
  /** The text as written, delimiters included: what is shown where rendered math can't go (an attribute). */
  source: string;
}

export interface MathSplit {
  /** The markdown with every piece of math replaced by `@@n@@`. */
  text: string;
  math: MathPiece[];
}

const MATH_SPLIT = /(\$\$?|\\(?:begin|end)\{[a-z]*\*?\}|\\[{}$]|[{}]|(?:\n\s*)+|@@\d+@@|\\\\?(?:\(|\)|\[|\]))/i;
const MARKER = /@@(\d+)@@/g;

/** Whether `source` may hold math at all: a cheap test before loading a renderer. */
export function mayContainMath(source: string): boolean {
  return /\$|\\begin\{|\\\(|\\\[/.test(source);
}

/** What a piece of math means, from its delimiters as written. */
function mathPiece(source: string): MathPiece {
  const delimited = /^(\$\$|\$|\\\\?\(|\\\\?\[)([\s\S]*?)(\$\$|\$|\\\\?\)|\\\\?\])$/.exec(source);
  if (!delimited) return { tex: source, display: true, source }; // \begin{env}…\end{env}: always a display
  const open = delimited[1] ?? '';
  return { tex: delimited[2] ?? '', display: open !== '$' && !open.endsWith('('), source };
}

/** Cuts math out of markdown (see the file's comment). Text that looks like a marker is kept as a piece of its own. */
export function removeMath(input: string): MathSplit {
  const math: MathPiece[] = [];
  let text = input;
  let deTilde = (value: string) => value;
  // Hide `$` inside fenced code and code spans (`~` escapes itself as `~T`, a hidden `$` is `~D`).
  if (text.includes('`') || text.includes('~~~')) {
    text = text
      .replace(/~/g, '~T')
      .replace(/^(?<fence>`{3,}|(~T){3,})[^`\n]*\n([\s\S]*?)^\k<fence>`*$/gm, (whole) => whole.replace(/\$/g, '~D'))
      .replace(/(^|[^\\])(`+)([^\n]*?[^`\n])\2(?!`)/gm, (whole) => whole.replace(/\$/g, '~D'));
    deTilde = (value) => value.replace(/~([TD])/g, (_whole, c: string) => (c === 'T' ? '~' : '$'));
  }

  const blocks = text.replace(/\r\n?/g, '\n').split(MATH_SPLIT);
  let start: number | null = null;
  let end: string | null = null;
  let last: number | null = null;
  let braces = 0;

  const takeMath = (from: number, to: number) => {
    const source = deTilde(blocks.slice(from, to + 1).join(''));
    for (let k = to; k > from; k--) blocks[k] = '';
    blocks[from] = `@@${math.length}@@`;
    math.push(mathPiece(source));
  };

  for (let i = 1; i < blocks.length; i += 2) {
    const block = blocks[i] ?? '';
    if (block.startsWith('@')) {
      blocks[i] = `@@${math.length}@@`;
      math.push({ tex: block, display: false, source: block });
    } else if (start !== null) {
      if (block === end || (end !== null && closes(block, end))) {
        if (braces) {
          last = i;
        } else {
          takeMath(start, i);
          start = end = last = null;
        }
      } else if (/\n.*\n/.test(block)) {
        if (last !== null) {
          i = last;
          takeMath(start, i);
        }
        start = end = last = null;
        braces = 0;
      } else if (block === '{') {
        braces++;
      } else if (block === '}' && braces) {
        braces--;
      }
    } else if (block === '$' || block === '$$') {
      start = i;
      end = block;
      braces = 0;
    } else if (/^\\\\?[([]$/.test(block)) {
      start = i;
      end = block.replace('(', ')').replace('[', ']');
      braces = 0;
    } else if (block.startsWith('\\begin')) {
      start = i;
      end = `\\end${block.slice('\\begin'.length)}`;
      braces = 0;
    }
  }
  if (start !== null && last !== null) takeMath(start, last);
  return { text: deTilde(blocks.join('')), math };
}

/** `\end{Align}` closes `\begin{Align}`; delimiters must match exactly. */
function closes(block: string, end: string): boolean {
  return end.startsWith('\\end') && block.toLowerCase() === end.toLowerCase();
}

/**
 * Puts the math back into HTML made from `removeMath`'s text: rendered where it is text, as the escaped source
 * where a marker landed inside a tag (a link's address, say), where markup can't go.
 */
export function replaceMath(html: string, math: readonly MathPiece[], render: (piece: MathPiece) => string): string {
  if (math.length === 0) return html;
  return html
    .split(/(<[^>]*>)/)
    .map((part, index) => {
      const inTag = index % 2 === 1;
      return part.replace(MARKER, (whole, n: string) => {
        const piece = math[Number(n)];
        if (!piece) return whole;
        if (piece.source.startsWith('@@')) return inTag ? piece.source : escapeText(piece.source);
        return inTag ? escapeText(piece.source) : render(piece);
      });
    })
    .join('');
}

/** Text safe in HTML content and in quoted attributes. */
export function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Limits for rendering untrusted TeX, the same in the app and the export: macro expansions (`\def\a{\a\a}`
 * would otherwise grow without end), the size of any box in em (`\rule{1e6em}{1em}`), and the length of one
 * piece (longer ones are shown as their source).
 */
export const MATH_LIMITS = { maxExpand: 1000, maxSize: 50, maxTexLength: 20_000 } as const;

/** The options of `katex.renderToString` this file relies on (KaTeX itself is the caller's import). */
export interface TexRenderOptions {
  displayMode: boolean;
  throwOnError: false;
  trust: false;
  strict: 'ignore';
  maxExpand: number;
  maxSize: number;
  output: 'htmlAndMathml';
}

export type TexRenderer = (tex: string, options: TexRenderOptions) => string;

/**
 * One piece rendered by KaTeX as untrusted input: errors are shown in place (red source, never thrown); `trust`
 * off, so `\href`, `\url`, `\includegraphics` and the `\html…` commands render as errors; within `MATH_LIMITS`.
 */
export function renderMathPiece(renderToString: TexRenderer, piece: MathPiece): string {
  if (piece.tex.length > MATH_LIMITS.maxTexLength) return `<code class="math-too-long">${escapeText(piece.source)}</code>`;
  try {
    return renderToString(piece.tex, {
      displayMode: piece.display,
      throwOnError: false,
      trust: false,
      strict: 'ignore',
      maxExpand: MATH_LIMITS.maxExpand,
      maxSize: MATH_LIMITS.maxSize,
      output: 'htmlAndMathml',
    });
  } catch {
    // throwOnError only covers parse errors; anything else (an internal limit) shows the source.
    return `<code class="math-error">${escapeText(piece.source)}</code>`;
  }
}
