/**
 * The notebook model. `NotebookDoc`/`CellDoc` are what an `.ipynb` stores (nbformat v4, with multiline strings
 * joined); `CellRuntime` and `KernelInfo` only live while the server runs and are never persisted as such.
 */
import { CellId } from './ids.ts';

export type JSONPrimitive = string | number | boolean | null;
export type JSONValue = JSONPrimitive | JSONObject | JSONValue[];
export interface JSONObject {
  [key: string]: JSONValue;
}

/** nbformat's mime bundle: text mime types hold strings (joined), JSON ones any JSON value. */
export type MimeBundle = Record<string, JSONValue>;

/**
 * Fields of an output this version does not model (a newer nbformat minor): kept as they came. An `extra` holding
 * `output_type` stands for a whole output of a type the model lacks; it is written back as is (server/store/).
 */
interface OutputBase {
  extra?: JSONObject;
}
export interface StreamOutput extends OutputBase {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: string;
}
export interface DisplayDataOutput extends OutputBase {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: JSONObject;
  /** Runtime only: lets `update_display_data` find its target. Stripped on save. */
  transient?: { display_id?: string };
}
export interface ExecuteResultOutput extends OutputBase {
  output_type: 'execute_result';
  execution_count: number | null;
  data: MimeBundle;
  metadata: JSONObject;
}
export interface ErrorOutput extends OutputBase {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export type CellType = 'code' | 'markdown' | 'raw';

interface CellBase {
  id: CellId;
  source: string;
  metadata: JSONObject;
  /**
   * Fields this version of nbformat does not know (a newer minor version): kept as they came. An `extra` holding
   * `cell_type` stands for a cell of a type the model lacks (shown as raw); it is written back as is.
   */
  extra?: JSONObject;
}
export interface CodeCellDoc extends CellBase {
  cell_type: 'code';
  execution_count: number | null;
  outputs: Output[];
}
export interface MarkdownCellDoc extends CellBase {
  cell_type: 'markdown';
  attachments?: JSONObject;
}
export interface RawCellDoc extends CellBase {
  cell_type: 'raw';
  attachments?: JSONObject;
}
export type CellDoc = CodeCellDoc | MarkdownCellDoc | RawCellDoc;

export interface NotebookDoc {
  nbformat: number;
  nbformat_minor: number;
  metadata: JSONObject;
  cells: CellDoc[];
  /** Unknown top-level fields, kept for round trips. */
  extra?: JSONObject;
}

/** Where a change came from: provenance for attribution and undo. */
export type EditSource = 'ui' | 'keyboard' | 'agent' | 'api' | 'kernel' | 'system';

export type CellRunStatus = 'idle' | 'queued' | 'running' | 'ok' | 'error' | 'aborted';
export interface CellRuntime {
  status: CellRunStatus;
  /** ms since epoch */
  started_at?: number;
  ended_at?: number;
  /** Why a run failed or was aborted when the outputs don't say (kernel died, interrupted before start…). */
  message?: string;
  /**
   * The running cell waits for a line of input (`input()`, `getpass()`): show `prompt` and send the answer as
   * `input_reply` (hide what is typed when `password`). Gone once answered, or when no tab is left (EOF).
   */
  input?: { prompt: string; password: boolean };
}

export type KernelState = 'not_started' | 'starting' | 'idle' | 'busy' | 'restarting' | 'dead' | 'disconnected';
export interface KernelInfo {
  state: KernelState;
  /** kernelspec name, e.g. `python3` */
  name?: string;
  /** A human sentence for the UI when something is wrong. */
  message?: string;
}

export function createCell(cell_type: CellType, source = '', id: CellId = CellId.create()): CellDoc {
  switch (cell_type) {
    case 'code':
      return { id, cell_type, source, metadata: {}, execution_count: null, outputs: [] };
    case 'markdown':
    case 'raw':
      return { id, cell_type, source, metadata: {} };
  }
}

/** A fresh notebook as JupyterLab makes one: one empty code cell, Python 3 kernelspec. */
export function createNotebook(): NotebookDoc {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python' },
    },
    cells: [createCell('code')],
  };
}
