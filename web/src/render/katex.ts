/**
 * KaTeX and its stylesheet, in a chunk of their own (about 270 kB of script, and fonts the stylesheet loads
 * from /assets as they are needed): a page with no math never loads them. Vite bundles the CSS and the fonts,
 * so the page's policy (styles and fonts from 'self' only) holds.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { renderMathPiece, type MathPiece } from '../../../server/protocol/markdown-math.ts';

/**
 * DOMPurify drops MathML's `semantics` and `annotation` (keeping their content): the TeX source KaTeX puts in
 * the annotation would end up as stray text in the MathML that screen readers read, so it is left out here.
 * KaTeX escapes the source, so the annotation's end can't be faked inside it.
 */
const TEX_ANNOTATION = /<annotation encoding="application\/x-tex">[^<]*<\/annotation>/g;

export function renderMath(piece: MathPiece): string {
  return renderMathPiece(katex.renderToString, piece).replace(TEX_ANNOTATION, '');
}
