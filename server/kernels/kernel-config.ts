/**
 * The kernel settings (`CELLMATE_KERNEL_*`, output caps, sandbox), validated once at start from the environment.
 * The names are a public contract (README, "Configuration").
 */
import { z } from 'zod';
import { DEFAULT_SANDBOX_SETTINGS, type SandboxSettings } from './sandbox.ts';

export interface KernelSettings {
  /** Idle kernels of the default kernelspec kept warm (0: no pool). */
  poolSize: number;
  /** How long a kernel may take to become ready. */
  startTimeoutMs: number;
  /** After an interrupt, how long running code may take to stop before the kernel is restarted (0: never). */
  interruptGraceMs: number;
  /** Characters one stream output keeps. */
  maxOutputBytes: number;
  /** Characters all outputs of one cell keep. */
  maxCellOutputBytes: number;
  /** How often a remote Jupyter Server (`JUPYTER_URL`) is checked. */
  jupyterCheckMs: number;
  sandbox: SandboxSettings;
}

/** What a test (or an embedder) may override; the rest comes from the defaults. */
export type KernelSettingsOverrides = Partial<Omit<KernelSettings, 'sandbox'>> & { sandbox?: Partial<SandboxSettings> };

export const DEFAULT_KERNEL_SETTINGS: KernelSettings = {
  poolSize: 1,
  startTimeoutMs: 60_000,
  interruptGraceMs: 3_000,
  maxOutputBytes: 1_000_000,
  maxCellOutputBytes: 5_000_000,
  jupyterCheckMs: 5_000,
  sandbox: DEFAULT_SANDBOX_SETTINGS,
};

const count = z.coerce.number().int().min(0);
const positive = z.coerce.number().int().positive();
const flag = z.enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off']).transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  CELLMATE_KERNEL_POOL: count.max(32).optional(),
  CELLMATE_KERNEL_START_TIMEOUT_MS: positive.optional(),
  CELLMATE_INTERRUPT_GRACE_MS: count.optional(),
  CELLMATE_MAX_OUTPUT_BYTES: positive.optional(),
  CELLMATE_MAX_CELL_OUTPUT_BYTES: positive.optional(),
  CELLMATE_SANDBOX: z.enum(['auto', 'on', 'off']).optional(),
  CELLMATE_KERNEL_MEMORY_MB: positive.optional(),
  CELLMATE_KERNEL_MAX_PROCESSES: positive.optional(),
  CELLMATE_KERNEL_MAX_FILE_MB: positive.optional(),
  CELLMATE_KERNEL_NETWORK: flag.optional(),
});

/** Defaults with `overrides` on top (an undefined field keeps its default). */
export function resolveKernelSettings(overrides: KernelSettingsOverrides = {}): KernelSettings {
  const d = DEFAULT_KERNEL_SETTINGS;
  const o = overrides;
  const s = o.sandbox ?? {};
  return {
    poolSize: o.poolSize ?? d.poolSize,
    startTimeoutMs: o.startTimeoutMs ?? d.startTimeoutMs,
    interruptGraceMs: o.interruptGraceMs ?? d.interruptGraceMs,
    maxOutputBytes: o.maxOutputBytes ?? d.maxOutputBytes,
    maxCellOutputBytes: o.maxCellOutputBytes ?? d.maxCellOutputBytes,
    jupyterCheckMs: o.jupyterCheckMs ?? d.jupyterCheckMs,
    sandbox: {
      mode: s.mode ?? d.sandbox.mode,
      memoryMb: s.memoryMb ?? d.sandbox.memoryMb,
      maxProcesses: s.maxProcesses ?? d.sandbox.maxProcesses,
      maxFileMb: s.maxFileMb ?? d.sandbox.maxFileMb,
      network: s.network ?? d.sandbox.network,
    },
  };
}

/**
 * @example
 *   loadKernelSettings({ CELLMATE_KERNEL_POOL: '2', CELLMATE_SANDBOX: 'off' }).poolSize // 2
 */
export function loadKernelSettings(env: NodeJS.ProcessEnv): KernelSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return resolveKernelSettings({
    poolSize: e.CELLMATE_KERNEL_POOL,
    startTimeoutMs: e.CELLMATE_KERNEL_START_TIMEOUT_MS,
    interruptGraceMs: e.CELLMATE_INTERRUPT_GRACE_MS,
    maxOutputBytes: e.CELLMATE_MAX_OUTPUT_BYTES,
    maxCellOutputBytes: e.CELLMATE_MAX_CELL_OUTPUT_BYTES,
    sandbox: {
      mode: e.CELLMATE_SANDBOX,
      memoryMb: e.CELLMATE_KERNEL_MEMORY_MB,
      maxProcesses: e.CELLMATE_KERNEL_MAX_PROCESSES,
      maxFileMb: e.CELLMATE_KERNEL_MAX_FILE_MB,
      network: e.CELLMATE_KERNEL_NETWORK,
    },
  });
}
