/**
 * Math in the HTML export: KaTeX renders on the server, its markup passes an allow-list of its own (the spans,
 * SVG and MathML KaTeX makes, with inline styles limited to lengths and colours), and its stylesheet goes into
 * the page with the fonts inlined as data URLs (the page loads nothing), only when the notebook has math.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import katex from 'katex';
import sanitizeHtml from 'sanitize-html';
import { renderMathPiece, type MathPiece } from '../protocol/markdown-math.ts';

const MATHML_TAGS = [
  'math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'mfrac', 'msqrt', 'mroot',
  'msup', 'msub', 'msubsup', 'mover', 'munder', 'munderover', 'mtable', 'mtr', 'mtd', 'mlabeledtr', 'mstyle',
  'mpadded', 'mphantom', 'menclose', 'merror',
];

const MATHML_ATTRIBUTES = [
  'xmlns', 'display', 'encoding', 'mathvariant', 'mathcolor', 'mathbackground', 'stretchy', 'fence', 'separator',
  'minsize', 'maxsize', 'lspace', 'rspace', 'voffset', 'accent', 'accentunder', 'linethickness', 'notation',
  'scriptlevel', 'displaystyle', 'rowspacing', 'columnspacing', 'columnalign', 'columnlines', 'rowlines', 'width',
  'height', 'depth', 'movablelimits', 'symmetric', 'largeop',
];

/** Lengths, colours and keywords: no url(), quotes, escapes or expressions. */
const STYLE_VALUE = [/^[-+\w.#%(), ]*$/];
const STYLE_PROPERTIES = [
  'height', 'width', 'min-width', 'max-width', 'vertical-align', 'top', 'bottom', 'left', 'right', 'position',
  'margin', 'margin-left', 'margin-right', 'margin-top', 'margin-bottom', 'padding-left', 'padding-right',
  'border', 'border-width', 'border-style', 'border-color', 'border-top-width', 'border-bottom-width',
  'border-right-width', 'border-left-width', 'border-right-style', 'color', 'background-color',
];

const KATEX_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['span', 'svg', 'path', 'line', ...MATHML_TAGS],
  allowedAttributes: {
    span: ['class', 'style', 'aria-hidden', 'title'],
    svg: ['xmlns', 'width', 'height', 'viewbox', 'preserveaspectratio', 'style'],
    path: ['d'],
    line: ['x1', 'y1', 'x2', 'y2', 'stroke-width'],
    ...Object.fromEntries(MATHML_TAGS.map((tag) => [tag, MATHML_ATTRIBUTES])),
  },
  allowedStyles: { '*': Object.fromEntries(STYLE_PROPERTIES.map((property) => [property, STYLE_VALUE])) },
  allowedSchemes: [],
};

/** One piece of math as sanitised KaTeX markup. */
export function renderExportMath(piece: MathPiece): string {
  return sanitizeHtml(renderMathPiece(katex.renderToString, piece), KATEX_OPTIONS);
}

let katexCss: string | undefined;

/** KaTeX's stylesheet with each font as a woff2 data URL (every browser that reads MathML-era CSS reads woff2). */
export function katexStylesheet(): string {
  if (katexCss !== undefined) return katexCss;
  const cssPath = createRequire(import.meta.url).resolve('katex/dist/katex.min.css');
  const css = readFileSync(cssPath, 'utf8');
  katexCss = css.replace(/src:url\((fonts\/[\w-]+)\.woff2\) format\("woff2"\)[^;}]*/g, (_whole, font: string) => {
    const data = readFileSync(join(dirname(cssPath), `${font}.woff2`)).toString('base64');
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
  return katexCss;
}
