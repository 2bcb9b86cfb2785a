/**
 * The sandbox decision where bubblewrap is missing: a Python whose PATH has no `bwrap` runs the real probe.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelError } from '../errors.ts';
import { DEFAULT_SANDBOX_SETTINGS, decideSandbox } from './sandbox.ts';

let dir: string;
let pythonWithoutBwrap: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cellmate-sandbox-probe-'));
  pythonWithoutBwrap = join(dir, 'python');
  await writeFile(pythonWithoutBwrap, `#!/bin/sh\nPATH=${join(dir, 'empty')} exec ${process.env.CELLMATE_PYTHON ?? '/usr/bin/python3'} "$@"\n`);
  await chmod(pythonWithoutBwrap, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('decideSandbox', () => {
  it('runs kernels unsandboxed where bwrap is missing, and says why', async () => {
    const decision = await decideSandbox({ python: pythonWithoutBwrap, workspace: dir, settings: DEFAULT_SANDBOX_SETTINGS });
    expect(decision).toEqual({ status: { enabled: false, reason: 'bubblewrap (bwrap) is not installed' }, serverSandbox: null });
  });

  it('refuses to start when the sandbox is required but unavailable', async () => {
    const required = decideSandbox({ python: pythonWithoutBwrap, workspace: dir, settings: { ...DEFAULT_SANDBOX_SETTINGS, mode: 'on' } });
    await expect(required).rejects.toThrow(KernelError);
    await expect(required).rejects.toThrow('CELLMATE_SANDBOX=on, but the kernel sandbox can\'t run: bubblewrap (bwrap) is not installed');
  });

  it('is off when turned off, without probing', async () => {
    const decision = await decideSandbox({ python: join(dir, 'no-such-python'), workspace: dir, settings: { ...DEFAULT_SANDBOX_SETTINGS, mode: 'off' } });
    expect(decision.status).toEqual({ enabled: false, reason: 'turned off (CELLMATE_SANDBOX=off)' });
  });

  it('reports a probe that cannot run at all', async () => {
    const decision = await decideSandbox({ python: join(dir, 'no-such-python'), workspace: dir, settings: DEFAULT_SANDBOX_SETTINGS });
    expect(decision.status.enabled).toBe(false);
    expect(decision.status.reason).toMatch(/^the sandbox probe failed: /);
  });
});
