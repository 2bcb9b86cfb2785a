/**
 * `@jupyterlab/services` reports a kernel's execution status and its WebSocket's connection status apart; the UI
 * wants one state with a sentence when something is wrong.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { KernelInfo, KernelState } from '../protocol/index.ts';

export interface KernelStatusSnapshot {
  status: KernelMessage.Status;
  connection: Kernel.ConnectionStatus;
  /** Whether the WebSocket was ever connected: a later `connecting` is a reconnect, not the first start. */
  wasConnected: boolean;
  name: string;
  /** Why the process died, when the server said (Cellmate's embedded server adds it to the status message). */
  deathReason?: string | undefined;
}

/**
 * @example
 *   toKernelInfo({ status: 'autorestarting', connection: 'connected', wasConnected: true, name: 'python3' })
 *   // → { state: 'restarting', name: 'python3', message: 'The kernel died and is being restarted' }
 */
export function toKernelInfo(snapshot: KernelStatusSnapshot): KernelInfo {
  const { state, message } = describe(snapshot);
  return message ? { state, name: snapshot.name, message } : { state, name: snapshot.name };
}

function describe({ status, connection, wasConnected, deathReason }: KernelStatusSnapshot): {
  state: KernelState;
  message?: string;
} {
  switch (status) {
    case 'dead':
      return { state: 'dead', message: deathReason ?? 'The kernel died' };
    case 'terminating':
      return { state: 'dead', message: 'The kernel was shut down' };
    case 'autorestarting':
      return { state: 'restarting', message: deathReason ? `${deathReason}; restarting it` : 'The kernel died and is being restarted' };
    case 'restarting':
      return { state: 'restarting' };
    default:
      break;
  }
  if (connection === 'disconnected') return { state: 'disconnected', message: 'Lost the connection to the kernel' };
  if (connection === 'connecting') {
    return wasConnected
      ? { state: 'disconnected', message: 'Reconnecting to the kernel…' }
      : { state: 'starting' };
  }
  switch (status) {
    case 'idle':
      return { state: 'idle' };
    case 'busy':
      return { state: 'busy' };
    case 'unknown':
    case 'starting':
      return { state: 'starting' };
  }
}

/**
 * Why a running request can't finish, given the state the kernel just entered; undefined while it still can.
 * `failed` tells a failure (the cell ends `error`) from a stop someone asked for (it ends `aborted`).
 */
export function abortReason(
  snapshot: KernelStatusSnapshot,
  restartRequested: boolean,
): { reason: string; failed: boolean } | undefined {
  const died = snapshot.deathReason ?? 'The kernel died';
  switch (snapshot.status) {
    case 'dead':
      return { reason: died, failed: true };
    case 'terminating':
      return { reason: 'The kernel was shut down', failed: false };
    case 'autorestarting':
      return { reason: `${died} and was restarted`, failed: true };
    case 'restarting':
      return restartRequested
        ? { reason: 'The kernel was restarted', failed: false }
        : { reason: `${died} and was restarted`, failed: true };
    default:
      return snapshot.connection === 'disconnected' ? { reason: 'Lost the connection to the kernel', failed: true } : undefined;
  }
}
