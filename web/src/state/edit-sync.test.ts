import { describe, expect, it } from 'vitest';
import { applyEdit, EditError, notebookToText, type NotebookEdit } from '../../../server/protocol/edits.ts';
import { CellId, ClientId } from '../../../server/protocol/ids.ts';
import type { ServerMessage } from '../../../server/protocol/messages.ts';
import { createCell, type CellType, type NotebookDoc } from '../../../server/protocol/notebook.ts';
import { EditSync, type OutgoingEdit } from './edit-sync.ts';

/** What crosses the wire is a copy: nothing may share objects between tabs and the server. */
const wire = <T>(value: T): T => structuredClone(value);

/** The server's part of the protocol: one order, echoes with origin, errors for edits that don't fit. */
class SimServer {
  clients: SimClient[] = [];
  constructor(public doc: NotebookDoc) {}

  connect(client: SimClient): void {
    client.id = ClientId.create();
    client.inbox = [{ type: 'snapshot', client_id: client.id, path: 'n.ipynb', doc: wire(this.doc), runtime: {}, kernel: { state: 'idle' }, agent: { undoable: [] } }];
    client.outbox = [];
    client.online = true;
  }

  apply(from: SimClient | null, message: OutgoingEdit | { edit: NotebookEdit }): void {
    const origin = from && 'seq' in message ? { client_id: from.id, seq: message.seq } : undefined;
    try {
      this.doc = applyEdit(this.doc, wire(message.edit));
    } catch (error) {
      if (!(error instanceof EditError) || !from) throw error;
      from.inbox.push({ type: 'error', message: error.message, ...(origin ? { origin } : {}) });
      return;
    }
    for (const client of this.clients) {
      if (client.online) client.inbox.push({ type: 'edit', edit: wire(message.edit), source: 'ui', ...(origin ? { origin } : {}) });
    }
  }
}

/** A tab: the store's use of `EditSync`, without Solid. */
class SimClient {
  id = ClientId.create();
  sync = new EditSync();
  doc: NotebookDoc | null = null;
  inbox: ServerMessage[] = [];
  outbox: OutgoingEdit[] = [];
  online = false;
  /** Edits go out only after the snapshot of the current connection, as in the store. */
  ready = false;
  errorsShown = 0;

  constructor(private readonly server: SimServer) {
    server.clients.push(this);
    server.connect(this);
  }

  edit(edit: NotebookEdit): void {
    if (!this.doc) return;
    const { doc, message } = this.sync.local(this.doc, edit, 'keyboard');
    this.doc = doc;
    if (this.online && this.ready) this.outbox.push(wire(message));
  }

  /** A command of several edits, sent as one group. */
  group(edits: NotebookEdit[], group: string): void {
    if (!this.doc) return;
    const messages = this.sync.localGroup(this.doc, edits, 'keyboard', group);
    if (this.online && this.ready) this.outbox.push(...messages.map(wire));
  }

  /** Loses the connection: frames in flight towards the tab are lost, some of those towards the server arrive. */
  disconnect(delivered: number): void {
    for (const message of this.outbox.slice(0, delivered)) this.server.apply(this, message);
    this.online = false;
    this.ready = false;
    this.inbox = [];
    this.outbox = [];
  }

  receiveOne(): boolean {
    const message = this.inbox.shift();
    if (!message || !this.online) return false;
    switch (message.type) {
      case 'snapshot': {
        const { doc, resend } = this.sync.snapshot(message.doc, message.client_id);
        this.doc = doc;
        this.ready = true;
        this.outbox.push(...resend.map(wire));
        break;
      }
      case 'edit':
        try {
          this.doc = this.sync.receive(this.doc!, message);
        } catch {
          this.server.connect(this);
        }
        break;
      case 'error': {
        const outcome = this.sync.rejected(this.doc!, message.origin);
        if (outcome === 'report') this.errorsShown++;
        if (outcome === 'resync') this.server.connect(this);
        break;
      }
      default:
        break;
    }
    return true;
  }

  sendOne(): boolean {
    const message = this.outbox.shift();
    if (!message) return false;
    this.server.apply(this, message);
    return true;
  }
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => CellId.from(`c${i}`));
function notebook(...sources: string[]): NotebookDoc {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: sources.map((s, i) => createCell('code', s, ids(sources.length)[i])) };
}

function settle(server: SimServer): void {
  for (const client of server.clients) if (!client.online) server.connect(client);
  let moved = true;
  while (moved) {
    moved = false;
    for (const client of server.clients) moved = client.sendOne() || client.receiveOne() || moved;
  }
}

function expectConverged(server: SimServer): void {
  for (const client of server.clients) {
    expect(client.doc).toEqual(server.doc);
    expect(client.sync.pendingCount).toBe(0);
  }
}

/** Small deterministic PRNG so a failing seed can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('EditSync', () => {
  const [a] = ids(1) as [CellId];

  it('keeps the typist’s text while its edits are in flight, and converges in the server’s order', () => {
    const server = new SimServer(notebook('x'));
    const alice = new SimClient(server);
    const bob = new SimClient(server);
    settle(server);

    alice.edit({ type: 'set_source', id: a, source: 'xa' });
    bob.edit({ type: 'set_source', id: a, source: 'xb' });
    alice.edit({ type: 'set_source', id: a, source: 'xaa' });
    // Server order: alice's first, bob's, alice's second.
    alice.sendOne();
    bob.sendOne();
    alice.sendOne();
    // Alice sees her own older echo and bob's edit, but keeps showing her newer text.
    alice.receiveOne();
    alice.receiveOne();
    expect(alice.doc!.cells[0]!.source).toBe('xaa');
    // Bob's own edit is acknowledged, then alice's later edit replaces it.
    bob.receiveOne();
    bob.receiveOne();
    expect(bob.doc!.cells[0]!.source).toBe('xb');
    settle(server);
    expectConverged(server);
    expect(server.doc.cells[0]!.source).toBe('xaa');
  });

  it('applies structural edits once, when the echo arrives', () => {
    const server = new SimServer(notebook('x'));
    const alice = new SimClient(server);
    settle(server);
    const fresh = createCell('markdown', '# hi', CellId.from('m'));
    alice.edit({ type: 'insert_cell', index: 1, cell: fresh });
    expect(alice.doc!.cells).toHaveLength(1);
    settle(server);
    expect(notebookToText(alice.doc!)).toBe('[code  ] x\n[markdown] # hi');
    expectConverged(server);
  });

  it('resends what was typed while disconnected, without duplicating what the server already had', () => {
    const server = new SimServer(notebook('x', 'y'));
    const alice = new SimClient(server);
    const bob = new SimClient(server);
    settle(server);
    alice.edit({ type: 'insert_cell', index: 0, cell: createCell('raw', 'r', CellId.from('r')) });
    alice.edit({ type: 'set_source', id: a, source: 'typed before' });
    alice.disconnect(1);
    alice.edit({ type: 'set_source', id: a, source: 'typed offline' });
    alice.edit({ type: 'move_cell', id: CellId.from('c1'), index: 0 });
    expect(alice.sync.pendingCount).toBe(4);
    expect(alice.sync.pendingChanges).toBe(3);
    bob.edit({ type: 'set_source', id: CellId.from('c1'), source: 'bob' });
    settle(server);
    expectConverged(server);
    expect(notebookToText(server.doc)).toBe('[code  ] bob\n[raw] r\n[code  ] typed offline');
    expect(alice.errorsShown).toBe(0);
  });

  it('drops pending text for a cell someone else deleted', () => {
    const server = new SimServer(notebook('x', 'y'));
    const alice = new SimClient(server);
    const bob = new SimClient(server);
    settle(server);
    bob.edit({ type: 'delete_cell', id: a });
    bob.sendOne();
    alice.edit({ type: 'set_source', id: a, source: 'too late' });
    settle(server);
    expectConverged(server);
    expect(alice.errorsShown).toBe(0);
  });

  describe('a command sent as a group', () => {
    const merge: NotebookEdit[] = [
      { type: 'set_source', id: CellId.from('c0'), source: 'x\n\ny' },
      { type: 'delete_cell', id: CellId.from('c1') },
    ];

    it('sends each edit with its own seq and the group, and shows them when the server echoes them', () => {
      const server = new SimServer(notebook('x', 'y'));
      const alice = new SimClient(server);
      settle(server);
      alice.group(merge, 'g1');
      expect(alice.outbox.map((m) => [m.seq, m.group])).toEqual([
        [1, 'g1'],
        [2, 'g1'],
      ]);
      // Nothing shown before the echo, the text included (it comes back as text changes that merge).
      expect(notebookToText(alice.doc!)).toBe('[code  ] x\n[code  ] y');
      expect(alice.sync.pendingChanges).toBe(2);
      settle(server);
      expectConverged(server);
      expect(notebookToText(server.doc)).toBe('[code  ] x⏎⏎y');
    });

    it('refuses the whole group, sending nothing, when one edit does not fit after the ones before', () => {
      const server = new SimServer(notebook('x', 'y'));
      const alice = new SimClient(server);
      settle(server);
      // The second delete of the same cell can't apply after the first.
      expect(() => alice.group([...merge, { type: 'delete_cell', id: CellId.from('c1') }], 'g1')).toThrow(EditError);
      expect(alice.outbox).toEqual([]);
      expect(alice.sync.pendingCount).toBe(0);
    });

    it("is confirmed by the echo of its text without applying it again (the text came as changes)", () => {
      const server = new SimServer(notebook('x', 'y'));
      const alice = new SimClient(server);
      settle(server);
      const [text] = alice.sync.localGroup(alice.doc!, merge.slice(0, 1), 'ui', 'g1');
      alice.sync.acknowledge({ edit: text!.edit, origin: { client_id: alice.id, seq: text!.seq } });
      expect(alice.sync.pendingCount).toBe(0);
      // Someone else's echo confirms nothing of ours.
      alice.sync.localGroup(alice.doc!, merge.slice(1), 'ui', 'g2');
      alice.sync.acknowledge({ edit: merge[1]!, origin: { client_id: ClientId.create(), seq: 2 } });
      expect(alice.sync.pendingCount).toBe(1);
    });

    it('sends again after a reconnect what the server did not get, with its group, the text included', () => {
      const server = new SimServer(notebook('x', 'y'));
      const alice = new SimClient(server);
      settle(server);
      alice.group([{ type: 'delete_cell', id: CellId.from('c1') }, merge[0]!], 'g1');
      // The delete arrives, the text is lost with the connection.
      alice.disconnect(1);
      server.connect(alice);
      alice.receiveOne();
      expect(alice.outbox.map((m) => [m.edit.type, m.group])).toEqual([['set_source', 'g1']]);
      settle(server);
      expectConverged(server);
      expect(notebookToText(server.doc)).toBe('[code  ] x⏎⏎y');
    });
  });

  it('converges for random interleavings of edits, kernel outputs and dropped connections', () => {
    const cellTypes: CellType[] = ['code', 'markdown', 'raw'];
    for (let seed = 1; seed <= 300; seed++) {
      const random = mulberry32(seed);
      const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
      const server = new SimServer(notebook('a', 'b', 'c'));
      const clients = [new SimClient(server), new SimClient(server), new SimClient(server)];
      let fresh = 0;
      for (let step = 0; step < 120; step++) {
        const client = pick(clients)!;
        const roll = random();
        const doc = client.doc;
        if (roll < 0.45 && doc && doc.cells.length > 0) {
          const cell = pick(doc.cells)!;
          const kind = random();
          try {
            if (kind < 0.6) client.edit({ type: 'set_source', id: cell.id, source: cell.source + String.fromCharCode(97 + (step % 26)) });
            else if (kind < 0.72) client.edit({ type: 'insert_cell', index: Math.floor(random() * (doc.cells.length + 1)), cell: createCell(pick(cellTypes)!, `n${fresh}`, CellId.from(`s${seed}n${fresh++}`)) });
            else if (kind < 0.82 && doc.cells.length > 1) client.edit({ type: 'delete_cell', id: cell.id });
            else if (kind < 0.92) client.edit({ type: 'move_cell', id: cell.id, index: Math.floor(random() * doc.cells.length) });
            else client.edit({ type: 'set_cell_type', id: cell.id, cell_type: pick(cellTypes)! });
          } catch (error) {
            if (!(error instanceof EditError)) throw error;
          }
        } else if (roll < 0.7) {
          client.sendOne();
        } else if (roll < 0.93) {
          client.receiveOne();
        } else if (roll < 0.96) {
          const code = server.doc.cells.find((c) => c.cell_type === 'code');
          if (code) server.apply(null, { edit: { type: 'set_outputs', id: code.id, outputs: [{ output_type: 'stream', name: 'stdout', text: `${step}` }] } });
        } else if (client.online) {
          client.disconnect(Math.floor(random() * 3));
        } else {
          server.connect(client);
        }
      }
      settle(server);
      try {
        expectConverged(server);
      } catch (error) {
        throw new Error(`seed ${seed}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });
});
