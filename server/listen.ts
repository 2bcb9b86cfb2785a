/**
 * The HTTP and WebSocket listener of the app. WebSocket messages over `maxMessageBytes` are refused as they
 * arrive: `ws` closes that socket with 1009 (message too big) without buffering the rest, and the server
 * carries on.
 *
 * Every accepted socket has Nagle's algorithm off: a `1+1` round trip is a few small writes each way, and Nagle
 * with delayed ACKs would hold one back for up to 40 ms. (Node's HTTP server does this by default; it is said
 * here so a change of defaults can't bring the delay back. `ws` does the same on the sockets it opens.)
 */
import type { AddressInfo, Socket } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { WebSocketServer } from 'ws';

export interface Listener {
  server: ServerType;
  /** The port bound (the one asked for, or a free one for 0). */
  port: number;
  /** Drops every WebSocket and stops listening. */
  close(): Promise<void>;
}

export async function listen(
  app: { fetch: Parameters<typeof serve>[0]['fetch'] },
  options: { host: string; port: number; maxMessageBytes: number },
): Promise<Listener> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host, websocket: { server: wss } });
  server.on('connection', (socket: Socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
