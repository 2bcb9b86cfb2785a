/**
 * Kernel choice and the kernel side's health: `GET /api/kernelspecs` (the kernelspecs the Jupyter Server offers,
 * its default, and whether kernels are sandboxed, how the Jupyter Server is doing, the warm pool) and
 * `POST /api/notebooks/{path}/kernel` (switch a notebook's kernel). The shapes are the protocol's.
 */
import * as z from 'zod/mini';
import {
  kernelSpecSummarySchema,
  kernelsOverviewSchema,
  type JupyterState,
  type KernelSpecSummary,
  type KernelsOverview,
  type SandboxStatus,
} from '../../../server/protocol/resources.ts';
import { api, expectAnswer } from './client.ts';

export type { KernelsOverview };
export type KernelSpecOption = KernelSpecSummary;
export type SandboxInfo = SandboxStatus;
export type JupyterServerState = JupyterState;

/** A kernelspec the page can't read is left out of the list, rather than the whole answer refused. */
const lenientOverviewSchema = z.extend(kernelsOverviewSchema, { specs: z.array(z.unknown()) });

export function parseKernelsOverview(value: unknown): KernelsOverview {
  const overview = expectAnswer(lenientOverviewSchema, value, 'the kernelspecs');
  const specs = overview.specs.flatMap((spec) => {
    const parsed = kernelSpecSummarySchema.safeParse(spec);
    return parsed.success ? [parsed.data] : [];
  });
  return { ...overview, specs };
}

export async function fetchKernelsOverview(): Promise<KernelsOverview> {
  return parseKernelsOverview(await (await api.kernelspecs.$get()).json());
}

/** Switches the notebook's kernel: its `kernelspec` metadata changes (every tab sees it) and a new kernel starts. */
export async function switchKernel(path: string, name: string): Promise<void> {
  await api.notebooks[':path'].kernel.$post({ param: { path: encodeURIComponent(path) }, json: { name } });
}

/** How the sandbox reads in a tooltip: what a sandboxed kernel can't do, or why it isn't sandboxed. */
export function sandboxSummary(sandbox: SandboxInfo): string {
  if (!sandbox.enabled) return `Not sandboxed: ${sandbox.reason}`;
  return sandbox.network ? 'Sandboxed: workspace only (network allowed)' : 'Sandboxed: no network, workspace only';
}
