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

function describe({ status, connection, wasConnected }: KernelStatusSnapshot): {
  state: KernelState;
  message?: string;
} {
  switch (status) {
    case 'dead':
      return { state: 'dead', message: 'The kernel died' };
    case 'terminating':
      return { state: 'dead', message: 'The kernel was shut down' };
    case 'autorestarting':
      return { state: 'restarting', message: 'The kernel died and is being restarted' };
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

/** Why a running request can't finish, given the state the kernel just entered; undefined while it still can. */
export function abortReason(snapshot: KernelStatusSnapshot, restartRequested: boolean): string | undefined {
  switch (snapshot.status) {
    case 'dead':
      return 'The kernel died';
    case 'terminating':
      return 'The kernel was shut down';
    case 'autorestarting':
      return 'The kernel died and was restarted';
    case 'restarting':
      return restartRequested ? 'The kernel was restarted' : 'The kernel died and was restarted';
    default:
      return snapshot.connection === 'disconnected' ? 'Lost the connection to the kernel' : undefined;
  }
}
