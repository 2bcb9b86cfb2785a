/**
 * Whether real TCP sockets have Nagle's algorithm off (TCP_NODELAY), read from the sockets themselves rather than
 * timed: Node records the option on each socket when it sets it (on an accepted socket when its server accepts
 * it, or when `setNoDelay` is called). A Node that stops recording it fails these checks rather than passing them.
 */
import { Socket } from 'node:net';

/** Node's own record of TCP_NODELAY on `socket`. */
export function isNagleOff(socket: Socket): boolean {
  const key = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === 'kSetNoDelay');
  if (key === undefined) throw new Error('this Node does not record TCP_NODELAY on its sockets (kSetNoDelay): update tests/helpers/nagle.ts');
  return (socket as unknown as Record<symbol, unknown>)[key] === true;
}

/** The TCP sockets open in this process connected to `port` on another end (e.g. Cellmate's to its Jupyter Server). */
export function socketsTo(port: number): Socket[] {
  // Node has no public list of its sockets; its active handles are the real objects.
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((handle): handle is Socket => handle instanceof Socket && handle.remotePort === port);
}

/** `sockets` as `local → remote: on|off`, to read in a failed assertion. */
export function describeNagle(sockets: readonly Socket[]): string[] {
  return sockets.map((socket) => `${socket.localPort} → ${socket.remotePort}: Nagle ${isNagleOff(socket) ? 'off' : 'ON'}`);
}
