/**
 * The state of one open notebook: the document (converging with the server through `EditSync`, the cells' text
 * through `TextSync`), the runtime of each cell, the kernel, the connection, and this tab's selection. Built
 * with `createStore`; server edits are applied with the protocol's `applyEdit` and written with `reconcile`
 * keyed by cell id, so unchanged cells keep their identity and their editors survive every edit and even a
 * reconnect.
 */
import type { ChangeSet } from '@codemirror/state';
import { batch, createMemo } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import { assertNever } from '../../../server/protocol/assert-never.ts';
import { applyEdit, EditError } from '../../../server/protocol/edits.ts';
import type { CellId } from '../../../server/protocol/ids.ts';
import type { ServerMessage } from '../../../server/protocol/messages.ts';
import type { NotebookDoc } from '../../../server/protocol/notebook.ts';
import { conversationTurns } from './conversations.ts';
import { fetchNotebookFile } from '../api/notebooks.ts';
import { ApiError, UnauthorizedError } from '../api/http.ts';
import { connectNotebookSocket, reportMalformed, type ConnectionStatus, type NotebookSocket, type ProbeVerdict } from '../api/notebook-socket.ts';
import { agentOnEvent, agentOnSnapshot, agentOnState, emptyAgentView, visibleTurns, type AgentView } from './agent-view.ts';
import { selectionRange } from './cell-selection.ts';
import { changedCellIndexes } from './changed-cells.ts';
import { EditSync, type OutgoingEdit } from './edit-sync.ts';
import { TextSync, type TextEffect } from './text-sync.ts';

export type { NotebookMode, KernelConfirm, Notice, NotebookState, NotebookStore, NotebookCommand, SocketHandlers, NotebookStoreOptions } from './notebook-store-types.ts';
import type { NotebookState, NotebookStore, SocketHandlers, NotebookStoreOptions } from './notebook-store-types.ts';

async function probe(path: string): Promise<ProbeVerdict> {
  try {
    await fetchNotebookFile(path);
    return 'ok';
  } catch (error) {
    if (error instanceof UnauthorizedError) return 'unauthorized';
    if (error instanceof ApiError && error.status === 404) return 'not_found';
    return 'ok';
  }
}

function defaultConnect(path: string, handlers: SocketHandlers): NotebookSocket {
  return connectNotebookSocket({ path, ...handlers, probe: () => probe(path) });
}

export function createNotebookStore(options: NotebookStoreOptions): NotebookStore {
  const sync = new EditSync();
  const text = new TextSync();
  const textListeners = new Map<CellId, (changes: ChangeSet) => void>();
  const [state, setState] = createStore<NotebookState>({
    path: options.path,
    doc: null,
    runtime: {},
    kernel: { state: 'not_started' },
    connection: 'connecting',
    pendingEdits: 0,
    lastSaved: null,
    saveError: null,
    notice: null,
    conflict: null,
    closed: null,
    agent: emptyAgentView(),
    ui: { selected: null, anchor: null, mode: 'command', editingMarkdown: {}, confirm: null },
  });
  /** True once this connection's snapshot has arrived: edits sent before it would be resent twice. */
  let ready = false;
  let noticeId = 0;
  /** Names this tab's grouped commands (the server tells tabs apart itself). */
  let groupCount = 0;

  const notify = (text: string) => setState('notice', { id: ++noticeId, text });
  // Keyed by the items' `key`, so a streaming reply updates one text node instead of rebuilding the turn.
  const setAgent = (next: AgentView) => setState('agent', reconcile(next, { key: 'key' }));
  const countPending = () => setState('pendingEdits', sync.pendingChanges + text.pendingCount);

  const setDoc = (next: NotebookDoc) => {
    const current = state.doc ? unwrap(state.doc) : null;
    if (next === current) return;
    const changed = current ? changedCellIndexes(current, next) : null; // reconcile only those (changed-cells.ts)
    if (!current) setState('doc', next);
    else if (changed) batch(() => changed.forEach((index) => setState('doc', 'cells', index, reconcile(next.cells[index]!, { key: 'id', merge: false }))));
    else setState('doc', reconcile(next, { key: 'id', merge: false }));
    keepSelectionValid();
  };

  /** When the selected cell disappears (deleted here or elsewhere), select the one that took its place. */
  let lastSelectedIndex = 0;
  const keepSelectionValid = () => {
    const cells = state.doc?.cells ?? [];
    const { selected } = state.ui;
    if (selected === null) return;
    const index = cells.findIndex((cell) => cell.id === selected);
    if (index >= 0) {
      lastSelectedIndex = index;
      return;
    }
    if (pendingSelection === selected) return;
    const fallback = cells[Math.min(lastSelectedIndex, cells.length - 1)];
    setState('ui', { selected: fallback?.id ?? null, anchor: null, mode: 'command' });
  };
  /** A cell this tab inserted and selected before the server's echo made it exist. */
  let pendingSelection: CellId | null = null;

  // Re-read only when the notebook's metadata changes (cells changing don't touch the conversation).
  const savedTurns = createMemo(() => conversationTurns(state.doc?.metadata ?? {}));
  const agentTurns = createMemo(() => visibleTurns(savedTurns().saved, state.agent, savedTurns().elsewhere));
  // From the document's order only (cells off-screen may not be rendered, so never from the page).
  const selectedIds = createMemo(() => selectionRange(state.doc?.cells ?? [], state.ui.anchor, state.ui.selected), [], {
    equals: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]),
  });
  const multiSelected = createMemo(() => new Set<CellId>(selectedIds().length > 1 ? selectedIds() : []), new Set<CellId>(), {
    equals: (a, b) => a.size === 0 && b.size === 0,
  });

  const resync = () => {
    ready = false;
    socket.resync();
  };

  const onMessage = (message: ServerMessage) => {
    switch (message.type) {
      case 'snapshot': {
        const { doc: edited, resend } = sync.snapshot(message.doc, message.client_id);
        const { doc, send: pulls } = text.snapshot(edited, message.text_versions);
        // One update: the page renders the notebook once, with its selection, runtimes and kernel already there.
        batch(() => {
          setDoc(doc);
          // Like JupyterLab, a freshly opened notebook has its first cell selected.
          if (state.ui.selected === null && doc.cells[0]) setState('ui', { selected: doc.cells[0].id, mode: 'command' });
          setState('runtime', reconcile(message.runtime));
          setState('kernel', reconcile(message.kernel));
          setState('conflict', message.conflict ?? null);
          setState('saveError', message.save_error ?? null);
          setAgent(agentOnSnapshot(unwrap(state.agent), message.agent));
        });
        ready = true;
        for (const outgoing of resend) socket.send(outgoing);
        for (const outgoing of pulls) socket.send(outgoing);
        countPending();
        return;
      }
      case 'edit': {
        if (!state.doc) return;
        if (message.edit.type === 'set_source') {
          // Text arrives as `text_update`s (sent before the whole-text edit they stand for): this only confirms ours.
          sync.acknowledge(message);
          countPending();
          return;
        }
        try {
          const edit = message.edit;
          if (edit.type === 'insert_cell' || edit.type === 'delete_cell') text.forget(edit.type === 'insert_cell' ? edit.cell.id : edit.id);
          if (edit.type === 'replace_document') for (const cell of edit.doc.cells) if (!findCell(cell.id)) text.forget(cell.id);
          const next = text.overlay(sync.receive(unwrap(state.doc), message));
          if (message.edit.type === 'insert_cell' && message.edit.cell.id === pendingSelection) pendingSelection = null;
          setDoc(next);
        } catch (error) {
          if (!(error instanceof EditError)) throw error;
          // Out of step with the server (should not happen): a fresh snapshot puts this tab right.
          resync();
        }
        countPending();
        return;
      }
      case 'text_update':
      case 'text_updates':
      case 'text_reset': {
        const cell = findCell(message.cell_id);
        try {
          const effect = cell ? text.receive(message, cell.source) : null;
          if (effect) showText(effect);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          // A change that doesn't fit the text here (should not happen): a fresh snapshot puts this tab right.
          resync();
        }
        return;
      }
      case 'runtime':
        setState('runtime', message.cell_id, reconcile(message.runtime));
        return;
      case 'kernel':
        setState('kernel', reconcile(message.kernel));
        return;
      case 'saved':
        setState({ lastSaved: message.last_modified, saveError: null });
        return;
      case 'save_failed':
        // Said once, when saving starts failing; the header shows it until a save works again.
        if (state.saveError === null) notify(message.message);
        setState('saveError', message.message);
        return;
      case 'agent':
        setAgent(agentOnEvent(unwrap(state.agent), message.event));
        return;
      case 'agent_state':
        setAgent(agentOnState(unwrap(state.agent), message.agent));
        return;
      case 'error': {
        // An error without origin may be the refusal of a prompt (a turn already running, no model…).
        if (!message.origin && (state.agent.sending || state.agent.stopping)) setState('agent', { sending: false, stopping: false });
        const outcome = state.doc ? sync.rejected(unwrap(state.doc), message.origin) : 'report';
        countPending();
        // A cell this tab meant to insert and select may never come: stop waiting for it.
        pendingSelection = null;
        keepSelectionValid();
        if (outcome === 'report') notify(message.message);
        if (outcome === 'resync') {
          notify(`${message.message} — reloaded the notebook from the server.`);
          resync();
        }
        return;
      }
      case 'pong':
        return;
      case 'conflict':
        setState('conflict', message.conflict);
        return;
      case 'closed':
        setState('closed', message.path === undefined ? { reason: message.reason } : { reason: message.reason, path: message.path });
        return;
      default:
        assertNever(message, 'server message');
    }
  };

  const findCell = (id: CellId) => state.doc?.cells.find((cell) => cell.id === id);

  /** A cell's text changed: its editor gets the exact changes first, then the document its new source. */
  const showText = (effect: TextEffect) => {
    if (effect.changes) textListeners.get(effect.id)?.(effect.changes);
    if (state.doc && findCell(effect.id)?.source !== effect.text) {
      setDoc(applyEdit(unwrap(state.doc), { type: 'set_source', id: effect.id, source: effect.text }));
    }
    if (ready) for (const outgoing of effect.send) socket.send(outgoing);
    countPending();
  };

  const onStatus = (status: ConnectionStatus) => {
    if (status !== 'open') {
      ready = false;
      text.disconnected();
    }
    setState('connection', status);
  };

  const connect = options.connect ?? defaultConnect;
  // Said as loudly as a notebook that would not open: what is shown may be wrong.
  const onMalformed = (problem: string) => {
    reportMalformed(problem);
    notify('The server sent this notebook in a form the page does not understand: what is shown may be wrong. Reload the page.');
  };
  const socket = connect(options.path, { onMessage, onStatus, onMalformed });

  // Closing the tab with edits the server hasn't confirmed would lose them: ask first.
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (sync.pendingCount > 0 || text.pendingCount > 0) event.preventDefault();
  };
  // Going away (a reload): typed changes waiting behind a push in flight are sent now; the server drops repeats.
  const onPageHide = () => {
    if (ready) for (const outgoing of text.flush()) socket.send(outgoing);
  };
  const hasWindow = typeof window !== 'undefined';
  if (hasWindow) {
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('pagehide', onPageHide);
  }

  /**
   * Makes a local edit (`make` returns the messages to send): sent after what was typed, counted as pending; one
   * that doesn't fit the document is told to the person instead of thrown.
   */
  const attemptEdit = (make: () => OutgoingEdit[]): boolean => {
    try {
      const messages = make();
      if (ready) for (const outgoing of [...text.flush(), ...messages]) socket.send(outgoing);
      countPending();
      return true;
    } catch (error) {
      if (!(error instanceof EditError)) throw error;
      notify(error.message);
      return false;
    }
  };

  return {
    state,
    agentTurns,
    edit(edit, source = 'ui') {
      const doc = state.doc;
      return doc !== null && attemptEdit(() => {
        const local = sync.local(unwrap(doc), edit, source);
        setDoc(local.doc);
        return [local.message];
      });
    },
    editGroup(edits, source = 'ui') {
      const doc = state.doc;
      return doc !== null && attemptEdit(() => sync.localGroup(unwrap(doc), edits, source, `g${++groupCount}`));
    },
    typeText(id, changes) {
      const cell = findCell(id);
      if (!cell) return;
      try {
        showText(text.local(id, cell.source, changes));
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        // The editor and this tab's text disagree (should not happen): a fresh snapshot puts them right.
        resync();
      }
    },
    onRemoteText(id, listener) {
      textListeners.set(id, listener);
      return () => {
        if (textListeners.get(id) === listener) textListeners.delete(id);
      };
    },
    command(message) {
      // What was typed goes first: a run (or the assistant) must see the text as it is on the screen.
      if (ready) for (const outgoing of text.flush()) socket.send(outgoing);
      if (ready && socket.send(message)) {
        if (message.type === 'agent_prompt') setState('agent', 'sending', true);
        if (message.type === 'agent_stop') setState('agent', 'stopping', true);
        return true;
      }
      notify('Not connected to the server: nothing was sent. Try again once the notebook has reconnected.');
      return false;
    },
    select(id, mode) {
      pendingSelection = id !== null && !state.doc?.cells.some((cell) => cell.id === id) ? id : null;
      setState('ui', { selected: id, anchor: null, ...(mode ? { mode } : {}) });
      keepSelectionValid();
    },
    selectRange(anchor, head) {
      this.select(head, 'command');
      if (anchor !== head) setState('ui', 'anchor', anchor);
    },
    selectedIds,
    isMultiSelected: (id) => multiSelected().has(id),
    setMode(mode) {
      setState('ui', 'mode', mode);
    },
    setMarkdownEditing(id, editing) {
      setState('ui', 'editingMarkdown', id, editing);
    },
    setConfirm(confirm) {
      setState('ui', 'confirm', confirm);
    },
    notify,
    dismissNotice() {
      setState('notice', null);
    },
    reconnect() {
      socket.retryNow();
    },
    resolveConflict(choice) {
      if (ready) for (const outgoing of text.flush()) socket.send(outgoing);
      if (ready && socket.send({ type: 'resolve_conflict', choice })) return true;
      notify('Not connected to the server: nothing was sent. Try again once the notebook has reconnected.');
      return false;
    },
    dispose() {
      if (hasWindow) {
        window.removeEventListener('beforeunload', onBeforeUnload);
        window.removeEventListener('pagehide', onPageHide);
      }
      socket.dispose();
    },
  };
}
