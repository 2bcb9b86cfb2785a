/**
 * An `AgentNotebook` held in memory for agent tests: edits go through the real `applyEdits`, and "running" a
 * cell looks its source up in a table of what a Python kernel would print. It keeps the contract the notebook
 * session keeps (the timeout interrupts the kernel and returns partial outputs with `timedOut`), so scenarios
 * written against it run unchanged against the real session.
 */
import {
  applyEdits,
  createCell,
  CellId,
  type CellDoc,
  type NotebookDoc,
  type NotebookEdit,
  type Output,
} from '../../server/protocol/index.ts';
import type { ExecutionResult } from '../../server/kernels/types.ts';
import type { AgentNotebook, RunCellOptions } from '../../server/agent/types.ts';

/** What running a piece of code does. */
export interface ScriptedRun {
  outputs: Output[];
  /** `error` when omitted and an output is an error, else `ok`. */
  status?: 'ok' | 'error';
  /** Prints `outputs` then never finishes on its own (like `while True: pass`): only an interrupt ends it. */
  hangs?: boolean;
}

export type FileEntry = { path: string; size: number; kind: 'file' | 'directory' };

export interface MemoryNotebookOptions {
  path?: string;
  cells?: CellDoc[];
  /** Source → what running it does. */
  runs?: Record<string, ScriptedRun>;
  files?: FileEntry[];
  /** What a silent evaluation prints (the variable helper's JSON). */
  silent?: (code: string) => { stdout: string; error?: string };
}

export const keyboardInterrupt: Output = {
  output_type: 'error',
  ename: 'KeyboardInterrupt',
  evalue: '',
  traceback: ['\u001b[0;31mKeyboardInterrupt\u001b[0m: '],
};

export class MemoryNotebook implements AgentNotebook {
  readonly path: string;
  /** The edits applied through `applyEdits` (the agent's), one array per step. */
  readonly agentSteps: NotebookEdit[][] = [];
  /** Every cell run, in order. */
  readonly runLog: { id: CellId; code: string; timedOut: boolean }[] = [];
  interrupts = 0;
  private current: NotebookDoc;
  private executionCount = 0;
  private readonly runs: Record<string, ScriptedRun>;
  private readonly pendingInterrupts = new Set<() => void>();

  constructor(private readonly options: MemoryNotebookOptions = {}) {
    this.path = options.path ?? 'analysis.ipynb';
    this.runs = options.runs ?? {};
    this.current = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: options.cells ?? [createCell('code', '', CellId.from('first'))] };
  }

  doc(): NotebookDoc {
    return this.current;
  }

  applyEdits(edits: NotebookEdit[]): void {
    this.current = applyEdits(this.current, edits);
    this.agentSteps.push(edits);
  }

  /** Kernel-side changes (outputs, counts) are applied like the session does, but not counted as agent steps. */
  private applyKernel(edits: NotebookEdit[]): void {
    this.current = applyEdits(this.current, edits);
  }

  async runCell(id: CellId, options: RunCellOptions): Promise<ExecutionResult & { timedOut?: boolean }> {
    const cell = this.current.cells.find((c) => c.id === id);
    if (!cell || cell.cell_type !== 'code') throw new Error(`No code cell ${id}`);
    const scripted = this.runs[cell.source] ?? {
      outputs: [{ output_type: 'error', ename: 'ScriptError', evalue: 'the test has no scripted run for this code', traceback: [cell.source] }],
    };
    const count = ++this.executionCount;
    this.applyKernel([
      { type: 'set_outputs', id, outputs: scripted.outputs },
      { type: 'set_execution_count', id, execution_count: count },
    ]);
    let timedOut = false;
    let outputs = scripted.outputs;
    if (scripted.hangs) {
      timedOut = await this.waitForInterrupt(options);
      outputs = [...outputs, keyboardInterrupt];
      this.applyKernel([{ type: 'set_outputs', id, outputs }]);
    }
    this.runLog.push({ id, code: cell.source, timedOut });
    const failed = outputs.some((o) => o.output_type === 'error');
    const status = scripted.hangs ? 'error' : (scripted.status ?? (failed ? 'error' : 'ok'));
    return { status, execution_count: count, outputs, ...(timedOut ? { timedOut } : {}) };
  }

  /**
   * Resolves `true` when the timeout fired (and interrupted), `false` for an interrupt from elsewhere. Like the
   * session, an abort of the caller's signal interrupts the kernel.
   */
  private waitForInterrupt(options: RunCellOptions): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        void this.interrupt();
      }, options.timeoutMs);
      const onAbort = () => void this.interrupt();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.pendingInterrupts.delete(done);
        resolve(timedOut);
      };
      this.pendingInterrupts.add(done);
    });
  }

  async interrupt(): Promise<void> {
    this.interrupts += 1;
    for (const done of [...this.pendingInterrupts]) done();
  }

  /** True while a hanging cell waits for an interrupt. */
  get isRunning(): boolean {
    return this.pendingInterrupts.size > 0;
  }

  async evaluateSilently(code: string): Promise<{ stdout: string; error?: string }> {
    return this.options.silent?.(code) ?? { stdout: '{"variables": [], "omitted": 0}\n' };
  }

  async listFiles(): Promise<FileEntry[]> {
    return this.options.files ?? [];
  }

  /** The cell with this id (throws when there is none). */
  cell(id: string): CellDoc {
    const cell = this.current.cells.find((c) => c.id === id);
    if (!cell) throw new Error(`No cell ${id}`);
    return cell;
  }
}

/** Shorthands for outputs in run tables. */
export const out = {
  stdout: (text: string): Output => ({ output_type: 'stream', name: 'stdout', text }),
  error: (ename: string, evalue: string, traceback: string[]): Output => ({ output_type: 'error', ename, evalue, traceback }),
  result: (count: number, data: Record<string, string>): Output => ({ output_type: 'execute_result', execution_count: count, data, metadata: {} }),
};
