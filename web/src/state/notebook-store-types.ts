/**
 * The shape of one open notebook's store (see notebook-store.ts): its state, its operations and the commands
 * it sends, apart from how they are kept.
 */
import type { ChangeSet } from '@codemirror/state';
import type { NotebookEdit } from '../../../server/protocol/edits.ts';
import type { CellId } from '../../../server/protocol/ids.ts';
import type { ClientMessage, DiskConflict, ServerMessage } from '../../../server/protocol/messages.ts';
import type { CellRuntime, KernelInfo, NotebookDoc } from '../../../server/protocol/notebook.ts';
import type { ConnectionStatus, NotebookSocket } from '../api/notebook-socket.ts';
import type { TurnView } from './agent-turns.ts';
import type { AgentView } from './agent-view.ts';
import type { UiEditSource } from './edit-sync.ts';

export type NotebookMode = 'command' | 'edit';

/** Kernel actions that lose the kernel's state, so they are confirmed first (as JupyterLab asks). */
export type KernelConfirm = 'restart' | 'restart_run_all';

export interface Notice {
  id: number;
  text: string;
}

export interface NotebookState {
  path: string;
  /** `null` until the first snapshot arrives. */
  doc: NotebookDoc | null;
  runtime: Record<string, CellRuntime>;
  kernel: KernelInfo;
  connection: ConnectionStatus;
  /** Changes the server has not confirmed (a cell's keystrokes count once); while disconnected, waiting to be sent. */
  pendingEdits: number;
  lastSaved: string | null;
  /** Why the latest save failed (a full or read-only disk); the server keeps the changes and tries again. */
  saveError: string | null;
  notice: Notice | null;
  /** The file on disk changed under unsaved changes: nothing is saved until the person chooses. */
  conflict: DiskConflict | null;
  /** The notebook was moved (to `path`) or deleted while open; the socket is closed. */
  closed: { reason: 'moved' | 'deleted'; path?: string } | null;
  /** The assistant: live turns, the running one, what can be undone (the saved conversation is in `doc.metadata`). */
  agent: AgentView;
  ui: {
    /** The active cell (the head of a multi-cell selection). */
    selected: CellId | null;
    /** Where a multi-cell selection started (Shift+arrows, Shift+click); null when only `selected` is selected. */
    anchor: CellId | null;
    mode: NotebookMode;
    /** Markdown cells shown as an editor instead of rendered. */
    editingMarkdown: Record<string, boolean>;
    /** The kernel action waiting for the person's confirmation, if any. */
    confirm: KernelConfirm | null;
  };
}

export interface NotebookStore {
  readonly state: NotebookState;
  /** The assistant's turns: the conversation saved in the notebook, with the turns this tab saw live. */
  agentTurns(): TurnView[];
  /** Sends an edit (typing is shown at once, structure changes when the server echoes them). */
  edit(edit: NotebookEdit, source?: UiEditSource): boolean;
  /**
   * Sends a command made of several edits (a merge, split, paste, replace-all), each made on the document the
   * one before leaves: one undo step on the server. All are shown when the server echoes them; false if one
   * doesn't fit (then nothing is sent).
   */
  editGroup(edits: readonly NotebookEdit[], source?: UiEditSource): boolean;
  /** Changes typed into a cell's editor (against the text it showed), merged with everyone else's (text-sync.ts). */
  typeText(id: CellId, changes: ChangeSet): void;
  /**
   * Listens for remote changes to a cell's text, as the exact changes to apply to its editor (so its cursor is
   * mapped through them); called before the document's source changes. Returns the unsubscribe.
   */
  onRemoteText(id: CellId, listener: (changes: ChangeSet) => void): () => void;
  /** Sends a kernel or assistant command; tells the user instead when not connected, rather than dropping it silently. */
  command(message: NotebookCommand): boolean;
  select(id: CellId | null, mode?: NotebookMode): void;
  /** Selects the cells from `anchor` to `head` (the new active cell), in command mode (see cell-selection.ts). */
  selectRange(anchor: CellId, head: CellId): void;
  /** The selected cells in document order: the range from the anchor to the active cell, or just that cell. */
  selectedIds(): CellId[];
  /** Whether `id` is one of several selected cells. */
  isMultiSelected(id: CellId): boolean;
  setMode(mode: NotebookMode): void;
  setMarkdownEditing(id: CellId, editing: boolean): void;
  /** Asks for (or, with null, dismisses) the confirmation of a restart. */
  setConfirm(confirm: KernelConfirm | null): void;
  notify(text: string): void;
  dismissNotice(): void;
  reconnect(): void;
  /** Settles a conflict with the file on disk: write this version over it, or take the disk's. */
  resolveConflict(choice: 'keep_mine' | 'load_disk'): boolean;
  dispose(): void;
}

export type NotebookCommand = Extract<
  ClientMessage,
  {
    type: 'execute' | 'interrupt' | 'restart' | 'restart_run_all' | 'input_reply' | 'agent_prompt' | 'agent_stop' | 'agent_undo' | 'agent_review' | 'undo' | 'redo';
  }
>;

export interface SocketHandlers {
  onMessage: (message: ServerMessage) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** The snapshot shown turned out not to follow the protocol (checked in full after the first paint). */
  onMalformed?: (problem: string) => void;
}

export interface NotebookStoreOptions {
  /** Workspace path of the notebook. */
  path: string;
  /** Opens the notebook's socket; replaced in tests. */
  connect?: (path: string, handlers: SocketHandlers) => NotebookSocket;
}
