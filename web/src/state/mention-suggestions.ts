/**
 * `@` in the composer: where the mention being typed starts, and what it may name — the notebook folder's files,
 * the running kernel's variables (both from `GET …/agent/mentions`) and the notebook's cells by number.
 */
import type { Mentions } from '../../../server/protocol/agent-context.ts';
import type { CellDoc } from '../../../server/protocol/notebook.ts';
import type { ContextChip } from './agent-chips.ts';

/** The most suggestions shown at once. */
const MAX_SUGGESTIONS = 12;

/**
 * The mention the caret is in: an `@` at the start or after a space, then name characters up to the caret.
 *
 * @example
 *   mentionAt('look at @sal', 12) // { start: 8, query: 'sal' }
 */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([\w./-]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** What `query` may name, cells first when it is a number, files and variables otherwise. */
export function mentionSuggestions(query: string, mentions: Mentions | null, cells: readonly CellDoc[]): ContextChip[] {
  const q = query.toLowerCase();
  const isNumber = /^\d+$/.test(q);
  const cellChips: ContextChip[] = cells.flatMap((cell, index) => {
    const number = String(index + 1);
    const first = cell.source.split('\n')[0] ?? '';
    const matches = isNumber ? number.startsWith(q) : q === '' || `cell ${number}`.startsWith(q) || first.toLowerCase().includes(q);
    return matches ? [{ ref: { kind: 'cell' as const, id: cell.id }, label: `cell ${number}`, detail: first.slice(0, 60) || `(empty ${cell.cell_type})` }] : [];
  });
  const files: ContextChip[] = (mentions?.files ?? [])
    .filter((file) => file.kind === 'file' && file.name.toLowerCase().includes(q))
    .map((file) => ({ ref: { kind: 'file' as const, path: file.path }, label: file.name, detail: size(file.size) }));
  const variables: ContextChip[] = (mentions?.variables ?? [])
    .filter((variable) => variable.name.toLowerCase().includes(q))
    .map((variable) => ({ ref: { kind: 'variable' as const, name: variable.name }, label: variable.name, detail: `${variable.type}${variable.summary ? ` ${variable.summary}` : ''}`.slice(0, 80) }));
  const ordered = isNumber ? [...cellChips, ...files, ...variables] : [...files, ...variables, ...cellChips];
  return ordered.slice(0, MAX_SUGGESTIONS);
}
