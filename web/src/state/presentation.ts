/** How runtime and kernel state read on screen; pure so the rules are tested without a DOM. */
import type { CellDoc, CellRuntime, JSONObject, KernelInfo, KernelState } from '../../../server/protocol/notebook.ts';
import type { ConnectionStatus } from '../api/notebook-socket.ts';

/**
 * The prompt left of a code cell, as in JupyterLab: `[*]` while queued or running, `[n]` after a run, `[ ]`
 * when never run (or when the kernel restarted and the count was cleared).
 */
export function executionPrompt(cell: CellDoc, runtime: CellRuntime | undefined): string {
  if (cell.cell_type !== 'code') return '';
  if (runtime?.status === 'queued' || runtime?.status === 'running') return '[*]';
  return cell.execution_count === null ? '[ ]' : `[${cell.execution_count}]`;
}

/** The kernel state the badge shows: a kernel we can't hear from is "disconnected", whatever it last said. */
export type DisplayedKernelState = KernelState | 'disconnected';

export function displayedKernelState(connection: ConnectionStatus, kernel: KernelInfo): DisplayedKernelState {
  return connection === 'open' ? kernel.state : 'disconnected';
}

const KERNEL_LABELS: Record<DisplayedKernelState, string> = {
  not_started: 'No kernel',
  starting: 'Starting',
  idle: 'Idle',
  busy: 'Busy',
  restarting: 'Restarting',
  dead: 'Dead',
  disconnected: 'Disconnected',
};

export function kernelLabel(state: DisplayedKernelState): string {
  return KERNEL_LABELS[state];
}

/** Whether a run is waiting or going on for this cell (drives the highlight and the `[*]`). */
export function isActive(runtime: CellRuntime | undefined): boolean {
  return runtime?.status === 'queued' || runtime?.status === 'running';
}

/**
 * A runtime message for people: the server names cells by id ("Not run because cell 3f9c… raised an error");
 * on screen a cell is its prompt, `cell [3]`, or its position, `cell 4`, when it has no execution count.
 */
export function describeRunMessage(message: string, cells: readonly CellDoc[]): string {
  let described = message;
  cells.forEach((cell, index) => {
    const named = `cell ${cell.id}`;
    if (!described.includes(named)) return;
    const count = cell.cell_type === 'code' ? cell.execution_count : null;
    described = described.split(named).join(count === null ? `cell ${index + 1}` : `cell [${count}]`);
  });
  return described;
}

/** Kernel states worth explaining in words next to the badge, not only in its tooltip. */
export function isKernelTrouble(state: DisplayedKernelState): boolean {
  return state === 'dead' || state === 'restarting' || state === 'disconnected';
}

/** The kernelspec a notebook asks for (`metadata.kernelspec.name`), as JupyterLab reads it. */
export function notebookKernelspec(metadata: JSONObject): string | null {
  const spec = metadata['kernelspec'];
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return null;
  const name = spec['name'];
  return typeof name === 'string' ? name : null;
}
