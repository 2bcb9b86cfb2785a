/** What a notebook session is made with, and what some of its methods answer (see notebook-session.ts). */
import type { CellId, NotebookDoc, Output } from '../protocol/index.ts';
import type { ExecutionResult, KernelProvider } from '../kernels/types.ts';
import type { FileVersion } from '../store/file-version.ts';
import type { NotebookFile } from './disk-sync.ts';

/** Where a session saves its document; `save` resolves with the file's new modification time (ISO). */
export interface SessionStore {
  save(path: string, doc: NotebookDoc): Promise<string>;
  listFiles(folder: string): Promise<{ path: string; size: number; kind: 'file' | 'directory' }[]>;
  /** The most cells a notebook may have and still be opened from the store (`CELLMATE_MAX_CELLS`). */
  maxCells?: number;
}

export interface NotebookSessionOptions {
  path: string;
  doc: NotebookDoc;
  kernels: KernelProvider;
  store: SessionStore;
  /** Save this long after the last change (ms), and at least every twice as long while changes keep coming. */
  autosaveMs?: number;
  /** Send output updates of a running cell to the tabs at most this often (ms). */
  outputFlushMs?: number;
  /**
   * The notebook's file and the version that was read: saves then check it is still that version, and changes
   * by other programs are noticed (see `DiskSync`). Without it, saves go through `store.save` unchecked.
   */
  file?: { access: NotebookFile; version: FileVersion | null };
  onError?: (error: unknown) => void;
  /** How many of each cell's latest text changes are kept for tabs that lag behind (default 500). */
  textLog?: number;
}

export interface CellRunSummary {
  id: CellId;
  execution_count: number | null;
  status: ExecutionResult['status'];
  outputs: Output[];
  message?: string;
}
