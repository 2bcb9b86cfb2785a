/**
 * The headings of a notebook's markdown cells, for the table of contents and heading folds. Found by marked's
 * lexer, the parser that renders the cells, so what is a heading here is a heading on the page: ATX (`## x`)
 * and setext (`x` over `===`) headings at the top level of a cell; `#` lines in code fences, indented code or
 * HTML are not. Math is cut out first (as for rendering), so `$a_1$` in a heading stays as written.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import type { CellId } from '../../../server/protocol/ids.ts';
import type { CellDoc } from '../../../server/protocol/notebook.ts';
import { removeMath } from '../../../server/protocol/markdown-math.ts';

export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

export interface CellHeading {
  level: HeadingLevel;
  /** The heading as plain text: emphasis, links and code marks gone, math as written. */
  text: string;
}

export interface NotebookHeading extends CellHeading {
  cellId: CellId;
  /** Its cell's index in the notebook. */
  cellIndex: number;
}

/** Plain text of inline tokens. */
function plainText(tokens: readonly Token[] | undefined, math: readonly string[]): string {
  if (!tokens) return '';
  return tokens
    .map((token): string => {
      switch (token.type) {
        case 'text':
        case 'strong':
        case 'em':
        case 'del':
        case 'link': {
          const nested = 'tokens' in token && Array.isArray(token.tokens) ? (token.tokens as Token[]) : undefined;
          return nested && nested.length > 0 ? plainText(nested, math) : decodeEntities(String((token as Tokens.Text).text));
        }
        case 'codespan':
        case 'escape':
          return decodeEntities((token as Tokens.Codespan).text);
        case 'image':
          return (token as Tokens.Image).text;
        case 'br':
          return ' ';
        default:
          return '';
      }
    })
    .join('')
    .replace(/@@(\d+)@@/g, (whole, n: string) => math[Number(n)] ?? whole);
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The few entities headings use (marked leaves them, and escapes `<` and `&` in code spans, as entities). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function isLevel(depth: number): depth is HeadingLevel {
  return depth >= 1 && depth <= 6;
}

// Notebooks re-derive headings on every edit; a cell's source seldom changes, so its headings are remembered.
const cache = new Map<string, readonly CellHeading[]>();
const CACHE_LIMIT = 5000;

/** The headings of one markdown source, in order. */
export function markdownHeadings(source: string): readonly CellHeading[] {
  const known = cache.get(source);
  if (known) return known;
  const { text, math } = removeMath(source);
  const sources = math.map((piece) => piece.source);
  const headings: CellHeading[] = [];
  for (const token of Lexer.lex(text, { gfm: true })) {
    if (token.type !== 'heading') continue;
    const heading = token as Tokens.Heading;
    if (!isLevel(heading.depth)) continue;
    const plain = plainText(heading.tokens, sources).replace(/\s+/g, ' ').trim();
    if (plain) headings.push({ level: heading.depth, text: plain });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, headings);
  return headings;
}

/** Every heading of the notebook's markdown cells, in notebook order. */
export function notebookHeadings(cells: readonly CellDoc[]): NotebookHeading[] {
  const result: NotebookHeading[] = [];
  cells.forEach((cell, cellIndex) => {
    // A cheap test first: most cells have no `#` and no setext underline.
    const mayHaveHeading = cell.source.includes('#') || /\n\s*(=+|-+)\s*(\n|$)/.test(cell.source);
    if (cell.cell_type !== 'markdown' || !mayHaveHeading) return;
    for (const heading of markdownHeadings(cell.source)) result.push({ ...heading, cellId: cell.id, cellIndex });
  });
  return result;
}
