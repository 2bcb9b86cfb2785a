/**
 * A person's undo and redo through a notebook session: one history per notebook, shared by its tabs, every
 * undo one step that every tab receives as edits with the source of whoever asked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyEdit, CellId, ClientId, createCell, createNotebook, notebookToText, type NotebookDoc, type ServerMessage } from '../protocol/index.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';
import { NotebookSession } from './notebook-session.ts';

const id = CellId.from;
let session: NotebookSession;

afterEach(async () => {
  await session.dispose({ save: false });
});

/** A tab that keeps its own copy of the notebook from the snapshot and the edits it receives. */
function tab() {
  let doc: NotebookDoc | null = null;
  const edits: Extract<ServerMessage, { type: 'edit' }>[] = [];
  session.connect({
    clientId: ClientId.create(),
    send: (message) => {
      if (message.type === 'snapshot') doc = message.doc;
      if (message.type === 'edit') {
        edits.push(message);
        doc = applyEdit(doc!, message.edit);
      }
    },
  });
  return { edits, ids: () => doc!.cells.map((c) => c.id).join(' ') };
}

function open() {
  const doc = { ...createNotebook(), cells: ['a', 'b', 'c'].map((c) => createCell('code', `${c} = 1`, id(c))) };
  session = new NotebookSession({ path: 'n.ipynb', doc, kernels: noKernels, store: { save: async () => new Date().toISOString(), listFiles: async () => [] } });
  return session;
}

describe("a notebook's undo for people", () => {
  it('is shared by the tabs: an operation in one is undone from the other, and both see it', () => {
    open();
    const one = tab();
    const two = tab();
    session.applyPersonEdits([{ type: 'delete_cell', id: id('b') }], 'keyboard');
    expect([one.ids(), two.ids()]).toEqual(['a c', 'a c']);
    expect(session.undo('keyboard')).toBe(true);
    expect([one.ids(), two.ids()]).toEqual(['a b c', 'a b c']);
    expect(two.edits.at(-1)).toMatchObject({ type: 'edit', source: 'keyboard', edit: { type: 'insert_cell', index: 1 } });
    expect(session.redo('ui')).toBe(true);
    expect([one.ids(), two.ids()]).toEqual(['a c', 'a c']);
    expect(session.redo('ui')).toBe(false);
  });

  it("undoes one call's edits as one step, and leaves typing, the assistant's and the kernel's edits out", () => {
    open();
    const one = tab();
    session.applyPersonEdits(
      [
        { type: 'set_source', id: id('a'), source: 'a = 1\nb = 1' },
        { type: 'delete_cell', id: id('b') },
      ],
      'ui',
    );
    session.applyPersonEdits([{ type: 'set_source', id: id('c'), source: 'typed' }], 'ui');
    session.applyEdits([{ type: 'insert_cell', index: 0, cell: createCell('code', 'by the assistant', id('x')) }], 'agent');
    session.applyEdits([{ type: 'clear_outputs', ids: [id('a')] }], 'kernel');
    const before = one.edits.length;
    expect(session.undo('ui')).toBe(true);
    expect(notebookToText(session.doc())).toMatchInlineSnapshot(`
      "[code  ] by the assistant
      [code  ] a = 1
      [code  ] b = 1
      [code  ] typed"
    `);
    // One undo: the two edits that take the merge back, and nothing more.
    expect(one.edits.slice(before).map((m) => m.edit.type)).toEqual(['set_source', 'insert_cell']);
    expect(session.undo('ui')).toBe(false);
  });

  it('forgets what could be redone when anyone makes a new operation', () => {
    open();
    const one = tab();
    session.applyPersonEdits([{ type: 'move_cell', id: id('c'), index: 0 }], 'keyboard');
    session.undo('keyboard');
    session.applyPersonEdits([{ type: 'set_cell_type', id: id('a'), cell_type: 'markdown' }], 'api');
    expect(session.redo('keyboard')).toBe(false);
    expect(one.ids()).toBe('a b c');
    session.undo('api');
    expect(session.doc().cells[0]!.cell_type).toBe('code');
  });
});
