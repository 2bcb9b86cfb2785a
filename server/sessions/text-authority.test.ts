/**
 * The text authority's edges: changes sent twice are applied once, a tab further behind than the log is told
 * to start over (and, with `TextSync`, loses nothing it typed), and whole-text replacements become the minimal
 * change that keeps a tab's concurrent typing.
 */
import { ChangeSet } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { CellId, createCell, createNotebook, type NotebookDoc, type ServerMessage } from '../protocol/index.ts';
import { TextSync } from '../../web/src/state/text-sync.ts';
import { TextAuthority } from './text-authority.ts';

const id = CellId.from('c');
const doc = (source: string): NotebookDoc => ({ ...createNotebook(), cells: [createCell('code', source, id)] });
const insert = (at: number, text: string, length: number) => ChangeSet.of({ from: at, insert: text }, length).toJSON();

describe('text authority', () => {
  it('applies changes sent again (after a lost confirmation) only once', () => {
    const authority = new TextAuthority();
    const first = authority.receive(id, 'ab', 0, 'tab', [insert(1, 'X', 2)]);
    expect(first).toMatchObject({ text: 'aXb' });
    // The same change again with one more on top, both still against version 0: only the new one is applied.
    const again = authority.receive(id, 'aXb', 0, 'tab', [insert(1, 'X', 2), insert(3, 'Y', 3)]);
    expect(again).toMatchObject({ text: 'aXbY' });
    expect(authority.version(id)).toBe(2);
  });

  it('rebases a change made against an older version over a whole-text replacement made meanwhile', () => {
    const authority = new TextAuthority();
    // The assistant replaces the whole text, adding a line at the top; the tab had typed at the end of "ab".
    const update = authority.record(doc('ab'), [{ type: 'set_source', id, source: '# top\nab' }])[0]?.[0];
    expect(update).toMatchObject({ type: 'text_update', version: 1, client_id: 'server', changes: [[0, '# top', ''], 2] });
    expect(authority.receive(id, '# top\nab', 0, 'tab', [insert(2, '!', 2)])).toMatchObject({ text: '# top\nab!' });
  });

  it('tells a tab further behind than its log to start over, and the tab sends what it had typed over the new text', () => {
    const authority = new TextAuthority({ maxLog: 2 });
    let source = '';
    for (const letter of ['a', 'b', 'c']) {
      const receipt = authority.receive(id, source, authority.version(id), 'other', [insert(source.length, letter, source.length)]);
      if ('reset' in receipt) throw new Error('refused');
      source = receipt.text;
    }
    expect(authority.since(id, 0)).toBeNull();
    expect(authority.since(id, 1)).toHaveLength(2);

    // A tab that saw nothing since version 0 typed "Z"; its push is too old to rebase.
    const tab = new TextSync('tab');
    tab.snapshot(doc(''), {});
    const typed = tab.local(id, '', ChangeSet.of({ from: 0, insert: 'Z' }, 0));
    const push = typed.send[0];
    if (push?.type !== 'text_update') throw new Error('nothing sent');
    const answer = authority.answer(push, source);
    expect(answer).toEqual({ reply: { type: 'text_reset', cell_id: id, version: 3, source: 'abc' } });
    const reply = (answer as { reply: ServerMessage }).reply;
    if (reply.type !== 'text_reset') throw new Error('no reset');
    const effect = tab.receive(reply, 'Z');
    expect(effect?.text).toBe('abcZ');
    const resent = effect?.send[0];
    if (resent?.type !== 'text_update') throw new Error('nothing resent');
    expect(authority.answer(resent, source)).toMatchObject({ text: 'abcZ' });
  });

  it('gives a reloaded document’s cells their new text as changes, and starts inserted or deleted cells again', () => {
    const authority = new TextAuthority();
    authority.receive(id, 'x', 0, 'tab', [insert(1, 'y', 1)]);
    const other = CellId.from('d');
    const reloaded: NotebookDoc = { ...createNotebook(), cells: [createCell('code', 'xyz', id), createCell('code', 'new', other)] };
    const [updates] = authority.record(doc('xy'), [{ type: 'replace_document', doc: reloaded }]);
    expect(updates).toMatchObject([{ cell_id: id, version: 2, changes: [2, [0, 'z']] }]);
    authority.record(reloaded, [{ type: 'delete_cell', id }]);
    expect(authority.version(id)).toBe(0);
    expect(authority.versions()).toEqual({});
  });
});
