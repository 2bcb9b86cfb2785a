/**
 * One reconnecting WebSocket per open notebook. It only moves frames and reports its status; what to do with
 * unacknowledged edits after a reconnect is the store's business (the server sends a fresh snapshot on every
 * connect, and the store resends what the server may not have seen).
 */
import type { ClientMessage, ServerMessage } from '../../../server/protocol/messages.ts';
import { appUrl } from './base-path.ts';
import { backoffDelay } from './backoff.ts';
import { reportUnauthorized } from './http.ts';
import { readServerFrame } from './server-message.ts';
import { getToken } from './token.ts';

/**
 * `connecting`: never connected yet; `reconnecting`: lost a connection and retrying; `unauthorized` and
 * `not_found` are final (retrying cannot help); `closed`: disposed.
 */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'unauthorized' | 'not_found' | 'closed';
export type ProbeVerdict = 'ok' | 'unauthorized' | 'not_found';

/** The part of the browser's WebSocket this module uses, so tests can hand in a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

/** Says in the console that a message let through turned out not to follow the protocol. */
export const reportMalformed = (problem: string) => console.error(`Cellmate: the server sent a notebook that does not follow the protocol:\n${problem}`);

/** Runs `task` once the frame being prepared is painted (at once, after the current task, where nothing paints). */
function afterPaint(task: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(task, 0));
  else setTimeout(task, 0);
}

export interface NotebookSocketOptions {
  /** Workspace path of the notebook. */
  path: string;
  onMessage: (message: ServerMessage) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** A message already passed on turned out not to follow the protocol (`readServerFrame`): what is wrong. */
  onMalformed?: (problem: string) => void;
  /**
   * Asked when a connection attempt fails before opening: browsers hide the HTTP status of a refused upgrade,
   * so a REST request tells a wrong token or a deleted notebook from a server that is simply down.
   */
  probe?: () => Promise<ProbeVerdict>;
  createWebSocket?: (url: string) => WebSocketLike;
  /** Page origin as `ws(s)://host`; defaults to the current page's. */
  origin?: string;
}

export interface NotebookSocket {
  /** Sends when open; returns false (and sends nothing) otherwise, so the caller can keep the message. */
  send(message: ClientMessage): boolean;
  /** Drops the connection and reconnects at once to get a fresh snapshot (the client found itself out of sync). */
  resync(): void;
  /** Retries now instead of waiting for the backoff (the user clicked "Reconnect", the network came back). */
  retryNow(): void;
  dispose(): void;
  readonly status: ConnectionStatus;
}

const OPEN = 1;
const PING_EVERY_MS = 15_000;
/** With a ping every 15 s, a minute of silence means the connection is dead even if TCP hasn't noticed. */
const SILENCE_LIMIT_MS = 45_000;
/** Close codes a server may use to say retrying is pointless. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_NOT_FOUND = 4404;

export function notebookSocketUrl(origin: string, path: string, token: string | null): string {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${origin}${appUrl(`/api/notebooks/${encodeURIComponent(path)}/ws`)}${query}`;
}

function pageOrigin(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

export function connectNotebookSocket(options: NotebookSocketOptions): NotebookSocket {
  const create = options.createWebSocket ?? ((url: string): WebSocketLike => new WebSocket(url));
  let socket: WebSocketLike | null = null;
  let status: ConnectionStatus = 'connecting';
  let attempt = 0;
  let everOpened = false;
  let disposed = false;
  let lastHeardAt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    options.onStatus(next);
  };

  const stopHeartbeat = () => {
    clearInterval(heartbeat);
    heartbeat = undefined;
  };

  const startHeartbeat = (current: WebSocketLike) => {
    stopHeartbeat();
    heartbeat = setInterval(() => {
      if (Date.now() - lastHeardAt > SILENCE_LIMIT_MS) {
        drop(current);
        void handleClose(1006, true);
        return;
      }
      if (current.readyState === OPEN) current.send(JSON.stringify({ type: 'ping' } satisfies ClientMessage));
    }, PING_EVERY_MS);
  };

  /** Forgets a socket without waiting for its close event (which a dead TCP connection may never deliver). */
  const drop = (current: WebSocketLike) => {
    if (socket !== current) return;
    socket = null;
    stopHeartbeat();
    current.onopen = current.onmessage = current.onclose = current.onerror = null;
    try {
      current.close(1000, 'reconnecting');
    } catch {
      // Already closing: nothing else to release.
    }
  };

  const open = () => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    if (disposed) return;
    let current: WebSocketLike;
    try {
      current = create(notebookSocketUrl(options.origin ?? pageOrigin(), options.path, getToken()));
    } catch {
      scheduleRetry();
      return;
    }
    socket = current;
    let opened = false;
    current.onopen = () => {
      opened = true;
      everOpened = true;
      attempt = 0;
      lastHeardAt = Date.now();
      setStatus('open');
      startHeartbeat(current);
    };
    current.onmessage = (event) => {
      lastHeardAt = Date.now();
      const frame = readServerFrame(event.data);
      if (!frame) {
        console.warn('Cellmate: ignored a socket frame it does not understand');
        return;
      }
      options.onMessage(frame.message);
      const { checkLater } = frame;
      if (!checkLater) return;
      afterPaint(() => {
        const problem = checkLater();
        if (problem) (options.onMalformed ?? reportMalformed)(problem);
      });
    };
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      stopHeartbeat();
      void handleClose(event.code, opened);
    };
    // An error is always followed by a close event; the close handler does the work.
    current.onerror = () => {};
  };

  const handleClose = async (code: number, opened: boolean) => {
    if (disposed) return;
    if (code === CLOSE_UNAUTHORIZED) return giveUp('unauthorized');
    if (code === CLOSE_NOT_FOUND) return giveUp('not_found');
    setStatus(everOpened ? 'reconnecting' : 'connecting');
    if (!opened && options.probe) {
      const verdict = await options.probe().catch((): ProbeVerdict => 'ok');
      if (disposed) return;
      if (verdict !== 'ok') return giveUp(verdict);
    }
    scheduleRetry();
  };

  const giveUp = (final: 'unauthorized' | 'not_found') => {
    if (final === 'unauthorized') reportUnauthorized();
    setStatus(final);
  };

  const scheduleRetry = () => {
    if (disposed || retryTimer !== undefined) return;
    retryTimer = setTimeout(open, backoffDelay(attempt++));
  };

  const retryNow = () => {
    if (disposed || socket) return;
    attempt = 0;
    open();
  };

  const onOnline = () => retryNow();
  const hasWindow = typeof window !== 'undefined';
  if (hasWindow) window.addEventListener('online', onOnline);

  open();

  return {
    get status() {
      return status;
    },
    send(message) {
      if (!socket || socket.readyState !== OPEN) return false;
      socket.send(JSON.stringify(message));
      return true;
    },
    resync() {
      if (disposed) return;
      if (socket) drop(socket);
      setStatus(everOpened ? 'reconnecting' : 'connecting');
      open();
    },
    retryNow,
    dispose() {
      disposed = true;
      clearTimeout(retryTimer);
      if (hasWindow) window.removeEventListener('online', onOnline);
      if (socket) drop(socket);
      status = 'closed';
    },
  };
}
