/**
 * Kernel choice and the kernel side's health: `GET /api/kernelspecs` (the kernelspecs the Jupyter Server offers,
 * its default, and whether kernels are sandboxed, how the Jupyter Server is doing, the warm pool) and
 * `POST /api/notebooks/{path}/kernel` (switch a notebook's kernel). Checked by hand at the edge, like the socket.
 */
import { apiJson, isRecord } from './http.ts';
import { notebookApiPath } from './notebooks.ts';

export interface KernelSpecOption {
  name: string;
  display_name: string;
  language: string;
}

export interface SandboxInfo {
  enabled: boolean;
  /** Why it is on or off, in words. */
  reason: string;
  /** Whether sandboxed kernels may use the network. */
  network?: boolean;
}

export type JupyterServerState = 'running' | 'restarting' | 'unreachable' | 'failed';

export interface KernelsOverview {
  default: string;
  specs: KernelSpecOption[];
  sandbox: SandboxInfo;
  jupyter: { state: JupyterServerState; embedded: boolean; message?: string; restarts: number };
  pool: { size: number; ready: number; starting: number };
}

const str = (value: unknown): value is string => typeof value === 'string';
const num = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const JUPYTER_STATES: readonly unknown[] = ['running', 'restarting', 'unreachable', 'failed'];

function isSpec(value: unknown): value is KernelSpecOption {
  return isRecord(value) && str(value.name) && str(value.display_name) && str(value.language);
}

/** The parts of the answer the UI reads; anything else in it is ignored. */
export function parseKernelsOverview(value: unknown): KernelsOverview {
  if (!isRecord(value) || !str(value.default) || !Array.isArray(value.specs)) throw new Error('Unexpected answer from the server: no kernelspecs');
  const { sandbox, jupyter, pool } = value;
  if (!isRecord(sandbox) || typeof sandbox.enabled !== 'boolean' || !str(sandbox.reason)) throw new Error('Unexpected answer from the server: no sandbox status');
  if (!isRecord(jupyter) || !isJupyterState(jupyter.state) || typeof jupyter.embedded !== 'boolean') {
    throw new Error('Unexpected answer from the server: no Jupyter Server status');
  }
  return {
    default: value.default,
    specs: value.specs.filter(isSpec),
    sandbox: { enabled: sandbox.enabled, reason: sandbox.reason, ...(typeof sandbox.network === 'boolean' ? { network: sandbox.network } : {}) },
    jupyter: {
      state: jupyter.state,
      embedded: jupyter.embedded,
      restarts: num(jupyter.restarts) ? jupyter.restarts : 0,
      ...(str(jupyter.message) ? { message: jupyter.message } : {}),
    },
    pool: isRecord(pool) && num(pool.size) && num(pool.ready) && num(pool.starting) ? { size: pool.size, ready: pool.ready, starting: pool.starting } : { size: 0, ready: 0, starting: 0 },
  };
}

function isJupyterState(value: unknown): value is JupyterServerState {
  return JUPYTER_STATES.includes(value);
}

export async function fetchKernelsOverview(): Promise<KernelsOverview> {
  return parseKernelsOverview(await apiJson('/api/kernelspecs'));
}

/** Switches the notebook's kernel: its `kernelspec` metadata changes (every tab sees it) and a new kernel starts. */
export async function switchKernel(path: string, name: string): Promise<void> {
  await apiJson(`${notebookApiPath(path)}/kernel`, { method: 'POST', body: JSON.stringify({ name }) });
}

/** How the sandbox reads in a tooltip: what a sandboxed kernel can't do, or why it isn't sandboxed. */
export function sandboxSummary(sandbox: SandboxInfo): string {
  if (!sandbox.enabled) return `Not sandboxed: ${sandbox.reason}`;
  return sandbox.network ? 'Sandboxed: workspace only (network allowed)' : 'Sandboxed: no network, workspace only';
}
