/**
 * KaTeX and its stylesheet, in a chunk of their own (about 270 kB of script, and fonts the stylesheet loads
 * from /assets as they are needed): a page with no math never loads them. Vite bundles the CSS and the fonts,
 * so the page's policy (styles and fonts from 'self' only) holds.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { renderMathPiece, type MathPiece } from '../../../server/protocol/markdown-math.ts';

export function renderMath(piece: MathPiece): string {
  return renderMathPiece(katex.renderToString, piece);
}
