/**
 * The kernel sandbox as decided at start: probe whether bubblewrap works on this machine (with the very command
 * kernels get, see `kernels/cellmate_kernels/`), then hand the embedded Jupyter Server its settings. Where it
 * doesn't work, kernels run unsandboxed and the status says why (logged at start, `GET /api/health`).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { KernelError } from '../errors.ts';
import type { SandboxStatus } from '../protocol/resources.ts';

const PROBE = fileURLToPath(new URL('../../kernels/cellmate_kernels/probe.py', import.meta.url));
/** Cellmate's own folder: hidden from sandboxed kernels (except `kernels/`, which they run from). */
const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));

export type SandboxMode = 'auto' | 'on' | 'off';

export interface SandboxSettings {
  /** `auto`: sandbox where bubblewrap works; `on`: refuse to start without; `off`: never. */
  mode: SandboxMode;
  /** Address space of each kernel process (RLIMIT_AS), MiB. */
  memoryMb: number;
  /** Processes a kernel may have at once. */
  maxProcesses: number;
  /** Largest file a kernel may write (RLIMIT_FSIZE), MiB. */
  maxFileMb: number;
  /** Give kernels the network (e.g. for `pip install`). */
  network: boolean;
}

export const DEFAULT_SANDBOX_SETTINGS: SandboxSettings = {
  mode: 'auto',
  memoryMb: 2048,
  maxProcesses: 256,
  maxFileMb: 1024,
  network: false,
};

/** What `GET /api/kernelspecs` says about the sandbox (the wire shape is in the protocol). */
export type { SandboxStatus };

type ProcessLimit = NonNullable<SandboxStatus['limits']>['processes'];

const probeResult = z.object({
  ok: z.boolean(),
  reason: z.string(),
  bwrap: z.string().optional(),
  tmpfs_size: z.boolean().optional(),
  process_limit: z.enum(['cgroup', 'rlimit', 'none']).optional(),
});

export interface SandboxDecision {
  status: SandboxStatus;
  /** `sandbox` of the embedded server's kernel settings, or null to run kernels unsandboxed. */
  serverSandbox: object | null;
}

/**
 * Decides whether kernels run sandboxed.
 *
 * @example
 *   const { status, serverSandbox } = await decideSandbox({ python, workspace, settings });
 *   log(status.enabled ? 'kernels are sandboxed' : `kernels are NOT sandboxed: ${status.reason}`);
 */
export async function decideSandbox(options: {
  python: string;
  workspace: string;
  settings: SandboxSettings;
}): Promise<SandboxDecision> {
  const { settings } = options;
  if (settings.mode === 'off') return { status: { enabled: false, reason: 'turned off (CELLMATE_SANDBOX=off)' }, serverSandbox: null };
  const sandbox = {
    memory_mb: settings.memoryMb,
    max_processes: settings.maxProcesses,
    max_file_mb: settings.maxFileMb,
    network: settings.network,
  };
  const probed = await runProbe(options.python, { workspace: options.workspace, hide: [APP_DIR], sandbox });
  if (!probed.ok) {
    if (settings.mode === 'on') throw new KernelError(`CELLMATE_SANDBOX=on, but the kernel sandbox can't run: ${probed.reason}`);
    return { status: { enabled: false, reason: probed.reason }, serverSandbox: null };
  }
  const processes = probed.process_limit ?? 'none';
  const status: SandboxStatus = {
    enabled: true,
    reason:
      `bubblewrap: ${settings.network ? 'with' : 'no'} network, read-only file system but the workspace` +
      (processes === 'none' ? '; the number of processes is not limited (root without a pids cgroup)' : ''),
    network: settings.network,
    limits: { memory_mb: settings.memoryMb, max_processes: settings.maxProcesses, max_file_mb: settings.maxFileMb, processes },
  };
  return { status, serverSandbox: { ...sandbox, bwrap: probed.bwrap, tmpfs_size: probed.tmpfs_size ?? false } };
}

/** The kernel settings for the embedded Jupyter Server (`EmbeddedJupyterOptions.kernelSettings`). */
export function kernelServerSettings(workspace: string, serverSandbox: object | null, deathPollS = 1): object {
  return { workspace, hide: [APP_DIR], sandbox: serverSandbox, death_poll_s: deathPollS };
}

async function runProbe(python: string, settings: object): Promise<z.infer<typeof probeResult>> {
  const output = await new Promise<string>((resolve) => {
    execFile(python, ['-I', PROBE, JSON.stringify(settings)], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && !stdout) resolve(JSON.stringify({ ok: false, reason: `the sandbox probe failed: ${stderr.trim() || error.message}` }));
      else resolve(stdout);
    });
  });
  const line = output.trim().split('\n').at(-1) ?? '';
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, reason: `the sandbox probe printed no result: ${line.slice(0, 200)}` };
  }
  const parsed = probeResult.safeParse(json);
  return parsed.success ? parsed.data : { ok: false, reason: 'the sandbox probe printed an unexpected result' };
}
