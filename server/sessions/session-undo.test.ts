/**
 * A person's undo and redo through a notebook session: one history per notebook, shared by its tabs, every
 * undo one step that every tab receives as edits with the source of whoever asked.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEdit, CellId, ClientId, createCell, createNotebook, notebookToText, type NotebookDoc, type ServerMessage } from '../protocol/index.ts';
import { serializeNotebook } from '../store/serializer.ts';
import { Workspace } from '../store/storage.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';
import { waitFor } from '../../tests/helpers/cellmate.ts';
import { NotebookSession } from './notebook-session.ts';
import { SessionManager } from './session-manager.ts';

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

  it('undoes the edits a tab sent one by one in a group as one step, text-only groups too', () => {
    open();
    const one = tab();
    const origin = (seq: number) => ({ client_id: ClientId.from('tab'), seq });
    // A split: the top half stays in `a`, the rest goes to a new cell below.
    session.applyPersonEdits([{ type: 'set_source', id: id('a'), source: 'a =' }], 'keyboard', origin(1), 'tab split-1');
    session.applyPersonEdits([{ type: 'insert_cell', index: 1, cell: createCell('code', ' 1', id('s')) }], 'keyboard', origin(2), 'tab split-1');
    // A replace-all: two cells' text, no cell operation.
    session.applyPersonEdits([{ type: 'set_source', id: id('b'), source: 'B = 1' }], 'ui', origin(3), 'tab replace-2');
    session.applyPersonEdits([{ type: 'set_source', id: id('c'), source: 'C = 1' }], 'ui', origin(4), 'tab replace-2');
    expect(one.ids()).toBe('a s b c');
    expect(session.undo('keyboard')).toBe(true);
    expect(notebookToText(session.doc())).toBe('[code  ] a =\n[code  ]  1\n[code  ] b = 1\n[code  ] c = 1');
    expect(session.undo('keyboard')).toBe(true);
    expect(notebookToText(session.doc())).toBe('[code  ] a = 1\n[code  ] b = 1\n[code  ] c = 1');
    expect(one.ids()).toBe('a b c');
    expect(session.undo('keyboard')).toBe(false);
  });

  it('forgets its steps when the notebook is replaced (a PUT over it)', () => {
    open();
    session.applyPersonEdits([{ type: 'delete_cell', id: id('b') }], 'ui');
    session.applyPersonEdits([{ type: 'delete_cell', id: id('c') }], 'ui');
    session.undo('ui');
    // The same ids in the new document: redoing the old step would take `c` out of it.
    const cells = [createCell('code', 'new', id('b')), createCell('code', 'also new', id('c'))];
    session.applyEdits([{ type: 'replace_document', doc: { ...session.doc(), cells } }], 'api');
    expect(session.redo('ui')).toBe(false);
    expect(session.undo('ui')).toBe(false);
    expect(notebookToText(session.doc())).toBe('[code  ] new\n[code  ] also new');
  });

  it('forgets its steps when another program changes the file and the notebook reloads', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cellmate-undo-'));
    const doc = { ...createNotebook(), cells: ['a', 'b', 'c'].map((c) => createCell('code', `${c} = 1`, id(c))) };
    await writeFile(join(root, 'n.ipynb'), serializeNotebook(doc));
    const sessions = new SessionManager({ workspace: new Workspace(root), kernels: noKernels, autosaveMs: 10 });
    try {
      session = await sessions.open('n.ipynb');
      session.applyPersonEdits([{ type: 'delete_cell', id: id('c') }], 'ui');
      session.undo('ui');
      await waitFor('the save', () => !session.hasUnsavedChanges);
      await writeFile(join(root, 'n.ipynb'), serializeNotebook({ ...doc, cells: [createCell('code', 'c from git', id('c'))] }));
      await waitFor('the reload', () => session.doc().cells.length === 1);
      // Redoing the old step would delete `c` from the reloaded notebook.
      expect(session.redo('ui')).toBe(false);
      expect(notebookToText(session.doc())).toBe('[code  ] c from git');
    } finally {
      await sessions.dispose();
      await rm(root, { recursive: true, force: true });
    }
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
