import { describe, expect, it } from 'vitest';
import { abortReason, toKernelInfo, type KernelStatusSnapshot } from './kernel-state.ts';

const base: KernelStatusSnapshot = { status: 'idle', connection: 'connected', wasConnected: true, name: 'python3' };

describe('toKernelInfo', () => {
  it('maps the execution status while connected', () => {
    expect(toKernelInfo(base)).toEqual({ state: 'idle', name: 'python3' });
    expect(toKernelInfo({ ...base, status: 'busy' }).state).toBe('busy');
    expect(toKernelInfo({ ...base, status: 'starting' }).state).toBe('starting');
    expect(toKernelInfo({ ...base, status: 'restarting' }).state).toBe('restarting');
  });

  it('is starting until the first connection, disconnected on a later one', () => {
    const first = { ...base, status: 'unknown', connection: 'connecting', wasConnected: false } as const;
    expect(toKernelInfo(first).state).toBe('starting');
    expect(toKernelInfo({ ...first, wasConnected: true })).toMatchObject({ state: 'disconnected' });
    expect(toKernelInfo({ ...base, connection: 'disconnected' })).toEqual({
      state: 'disconnected',
      name: 'python3',
      message: 'Lost the connection to the kernel',
    });
  });

  it('explains deaths and automatic restarts', () => {
    expect(toKernelInfo({ ...base, status: 'dead' })).toMatchObject({ state: 'dead', message: 'The kernel died' });
    expect(toKernelInfo({ ...base, status: 'autorestarting', connection: 'connecting' })).toMatchObject({
      state: 'restarting',
      message: 'The kernel died and is being restarted',
    });
  });
});

describe('abortReason', () => {
  it('is undefined while requests can still finish', () => {
    expect(abortReason(base, false)).toBeUndefined();
    expect(abortReason({ ...base, status: 'busy', connection: 'connecting' }, false)).toBeUndefined();
  });

  it('tells a requested restart from a crash', () => {
    expect(abortReason({ ...base, status: 'restarting' }, true)).toEqual({ reason: 'The kernel was restarted', failed: false });
    expect(abortReason({ ...base, status: 'restarting' }, false)).toEqual({ reason: 'The kernel died and was restarted', failed: true });
    expect(abortReason({ ...base, status: 'dead' }, false)).toEqual({ reason: 'The kernel died', failed: true });
    expect(abortReason({ ...base, status: 'terminating' }, false)).toEqual({ reason: 'The kernel was shut down', failed: false });
    expect(abortReason({ ...base, connection: 'disconnected' }, false)).toEqual({ reason: 'Lost the connection to the kernel', failed: true });
  });

  it('says why the process died when the server told', () => {
    const deathReason = 'The kernel was killed (SIGKILL); it may have run out of memory';
    expect(abortReason({ ...base, status: 'dead', deathReason }, false)).toEqual({ reason: deathReason, failed: true });
    expect(toKernelInfo({ ...base, status: 'dead', deathReason })).toEqual({ state: 'dead', name: 'python3', message: deathReason });
    expect(toKernelInfo({ ...base, status: 'autorestarting', deathReason }).message).toBe(`${deathReason}; restarting it`);
  });
});
