/**
 * What inline completion sends to the model and what it keeps of the answer, with no I/O: the text before and
 * after the cursor (the cell's, with the code cells around it as context), each bounded; the chat prompt for
 * servers without fill-in-the-middle; and the answer made into one plain-text suggestion.
 *
 * The answer is untrusted: it is shown as plain text (never markup), and loses what could make it read other
 * than it is (control and bidirectional characters), code fences and chatter, text it repeats from around the
 * cursor, and whatever is past its line and character bounds.
 */
import type { CellDoc } from '../protocol/index.ts';

/** Characters of context before the cursor (the cell's own first, then the cells above). */
export const MAX_PREFIX_CHARS = 4000;
/** Characters of context after the cursor (the rest of the cell, then the cells below). */
export const MAX_SUFFIX_CHARS = 1500;
/** Tokens the model may write for one suggestion. */
export const MAX_SUGGESTION_TOKENS = 128;
/** What is shown at most. */
export const MAX_SUGGESTION_LINES = 12;
export const MAX_SUGGESTION_CHARS = 1000;

/** Where the cursor is, in the chat prompt. */
export const CURSOR_MARK = '<CURSOR>';

export interface InlineContext {
  prefix: string;
  suffix: string;
  language: string;
}

/** Between two cells in the context, as a script would have them. */
const CELL_BREAK = '\n\n';

/** The last `max` characters of `text`, not starting inside a surrogate pair. */
function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  const start = text.length - max;
  const unit = text.charCodeAt(start);
  return text.slice(unit >= 0xdc00 && unit <= 0xdfff ? start + 1 : start);
}

/** The first `max` characters of `text`, not ending inside a surrogate pair. */
function head(text: string, max: number): string {
  if (text.length <= max) return text;
  const unit = text.charCodeAt(max - 1);
  return text.slice(0, unit >= 0xd800 && unit <= 0xdbff ? max - 1 : max);
}

/**
 * The context of a cursor at UTF-16 offset `cursor` in `code` (the text of cell `cellId` as the editor shows it):
 * the code cells above before it and those below after it, joined as a script, cut to the bounds nearest the
 * cursor. Markdown and raw cells are left out.
 */
export function inlineContext(cells: readonly CellDoc[], cellId: string, code: string, cursor: number, language: string): InlineContext {
  const index = cells.findIndex((cell) => cell.id === cellId);
  const codeOf = (list: readonly CellDoc[]) => list.filter((cell) => cell.cell_type === 'code' && cell.source.trim() !== '').map((cell) => cell.source);
  const above = index < 0 ? [] : codeOf(cells.slice(0, index));
  const below = index < 0 ? [] : codeOf(cells.slice(index + 1));
  const before = [...above, code.slice(0, cursor)].join(CELL_BREAK);
  const after = [code.slice(cursor), ...below].join(CELL_BREAK);
  return { prefix: tail(before, MAX_PREFIX_CHARS), suffix: head(after, MAX_SUFFIX_CHARS), language };
}

const SYSTEM_PROMPT = [
  'You are a code completion engine inside a Jupyter notebook.',
  `The user message holds the code around the cursor, which is marked ${CURSOR_MARK}.`,
  'Reply with only the text to insert at the cursor: no explanation, no Markdown, no code fences,',
  'and never repeat the code that is already before or after the cursor.',
  'Prefer a short completion: the rest of the current line or statement, at most a few lines.',
  'If nothing useful fits, reply with nothing.',
].join(' ');

/** The chat request's messages, for servers or models without fill-in-the-middle. */
export function chatMessages(context: InlineContext): { role: 'system' | 'user'; content: string }[] {
  const user = `Complete the ${context.language} code at ${CURSOR_MARK}.\n\n${context.prefix}${CURSOR_MARK}${context.suffix}`;
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
}

// C0 controls but tab and newline, DEL, C1 controls, bidirectional controls and marks, zero-width characters
// other than the joiner (emoji need it), line and paragraph separators, the byte order mark.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const FENCED = /```[^\n]*\n([\s\S]*?)(?:\n?```|$)/;

/** The body of the first fenced block, when the model wrapped its answer in one despite being told not to. */
function unfence(text: string): string {
  const match = FENCED.exec(text);
  return match ? (match[1] ?? '') : text;
}

/** `text` without what it repeats of the line before the cursor (chat models often write the whole line). */
function withoutRepeatedLine(text: string, prefix: string): string {
  const line = prefix.slice(prefix.lastIndexOf('\n') + 1);
  if (line.trim() !== '' && text.startsWith(line)) return text.slice(line.length);
  const trimmed = line.trimStart();
  if (trimmed !== '' && text.startsWith(trimmed)) return text.slice(trimmed.length);
  return text;
}

/**
 * `text` without an end that repeats the rest of the cursor's line (a closing bracket the editor had already
 * added); only the whole rest counts, so a suggestion that merely ends like it is kept.
 */
function withoutSuffixOverlap(text: string, suffix: string): string {
  const rest = suffix.slice(0, suffix.includes('\n') ? suffix.indexOf('\n') : suffix.length).trimEnd();
  return rest !== '' && text.endsWith(rest) && text.length > rest.length ? text.slice(0, text.length - rest.length) : text;
}

/**
 * The model's answer as one suggestion to show and insert at the cursor: plain text within the bounds, or ''
 * when nothing is left. `isChat` also drops fences, the cursor mark and a repeated line.
 */
export function sanitizeSuggestion(answer: string, context: InlineContext, isChat: boolean): string {
  let text = answer.replace(/\r\n?/g, '\n').replace(HIDDEN, '');
  if (isChat) {
    text = unfence(text).split(CURSOR_MARK).join('');
    text = withoutRepeatedLine(text, context.prefix);
  }
  text = withoutSuffixOverlap(text, context.suffix);
  const lines = text.split('\n').slice(0, MAX_SUGGESTION_LINES);
  text = head(lines.join('\n'), MAX_SUGGESTION_CHARS).trimEnd();
  return text.trim() === '' ? '' : text;
}
