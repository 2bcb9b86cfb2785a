import { describe, expect, it } from 'vitest';
import { DEFAULT_KERNEL_SETTINGS, loadKernelSettings, resolveKernelSettings } from './kernel-config.ts';

describe('kernel settings', () => {
  it('has defaults for everything', () => {
    expect(loadKernelSettings({})).toEqual(DEFAULT_KERNEL_SETTINGS);
    expect(DEFAULT_KERNEL_SETTINGS).toMatchObject({ poolSize: 1, interruptGraceMs: 3_000, sandbox: { mode: 'auto', memoryMb: 2048, network: false } });
  });

  it('reads the environment', () => {
    const settings = loadKernelSettings({
      CELLMATE_KERNEL_POOL: '0',
      CELLMATE_KERNEL_START_TIMEOUT_MS: '5000',
      CELLMATE_INTERRUPT_GRACE_MS: '0',
      CELLMATE_MAX_OUTPUT_BYTES: '1000',
      CELLMATE_MAX_CELL_OUTPUT_BYTES: '4000',
      CELLMATE_SANDBOX: 'off',
      CELLMATE_KERNEL_MEMORY_MB: '512',
      CELLMATE_KERNEL_MAX_PROCESSES: '64',
      CELLMATE_KERNEL_MAX_FILE_MB: '10',
      CELLMATE_KERNEL_NETWORK: '1',
    });
    expect(settings).toEqual({
      poolSize: 0,
      startTimeoutMs: 5000,
      interruptGraceMs: 0,
      maxOutputBytes: 1000,
      maxCellOutputBytes: 4000,
      jupyterCheckMs: 5000,
      sandbox: { mode: 'off', memoryMb: 512, maxProcesses: 64, maxFileMb: 10, network: true },
    });
  });

  it('refuses nonsense with the variable named', () => {
    expect(() => loadKernelSettings({ CELLMATE_KERNEL_POOL: '-1' })).toThrow(/CELLMATE_KERNEL_POOL/);
    expect(() => loadKernelSettings({ CELLMATE_SANDBOX: 'maybe' })).toThrow(/CELLMATE_SANDBOX/);
    expect(() => loadKernelSettings({ CELLMATE_KERNEL_NETWORK: 'perhaps' })).toThrow(/CELLMATE_KERNEL_NETWORK/);
  });

  it('keeps defaults for what an override leaves out', () => {
    expect(resolveKernelSettings({ poolSize: 3, sandbox: { network: true } })).toEqual({
      ...DEFAULT_KERNEL_SETTINGS,
      poolSize: 3,
      sandbox: { ...DEFAULT_KERNEL_SETTINGS.sandbox, network: true },
    });
  });
});
