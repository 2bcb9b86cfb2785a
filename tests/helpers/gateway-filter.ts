/**
 * A Jupyter Server made to look like Jupyter Enterprise Gateway from outside: an HTTP + WebSocket proxy in front
 * of it that passes only what a gateway serves (its `base/handlers.py`, `services/kernels/handlers.py`,
 * `services/kernelspecs/handlers.py`: `/api`, the kernels, the kernelspecs and the kernel channels) and answers
 * 404 to everything else, recording every request so a test can say nothing else was asked for.
 *
 * Listing kernels (`GET /api/kernels`) is refused too, as Enterprise Gateway does unless `EG_LIST_KERNELS` is on.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

/** What Enterprise Gateway serves, by method and path. */
const GATEWAY_SURFACE: readonly { method: string; path: RegExp }[] = [
  { method: 'GET', path: /^\/api\/?$/ },
  { method: 'GET', path: /^\/api\/kernelspecs\/?$/ },
  { method: 'GET', path: /^\/api\/kernelspecs\/[^/]+\/?$/ },
  { method: 'GET', path: /^\/kernelspecs\/[^/]+\/[^/]+$/ },
  { method: 'POST', path: /^\/api\/kernels\/?$/ },
  { method: 'GET', path: /^\/api\/kernels\/[^/]+\/?$/ },
  { method: 'DELETE', path: /^\/api\/kernels\/[^/]+\/?$/ },
  { method: 'POST', path: /^\/api\/kernels\/[^/]+\/(interrupt|restart)\/?$/ },
  { method: 'GET', path: /^\/api\/kernels\/[^/]+\/channels\/?$/ },
];

export interface FilteredRequest {
  method: string;
  /** The path without the query (the token is in the query of WebSocket URLs). */
  path: string;
  isWebSocket: boolean;
  passed: boolean;
  /** The JSON body of a passed `POST /api/kernels` (what the kernel start asked for). */
  body?: unknown;
}

export interface GatewayFilter {
  /** Where to point `JUPYTER_URL`. */
  url: string;
  /** Every request so far, in order. */
  readonly requests: readonly FilteredRequest[];
  refused(): FilteredRequest[];
  close(): Promise<void>;
}

export function isGatewayRequest(method: string, path: string): boolean {
  return GATEWAY_SURFACE.some((entry) => entry.method === method && entry.path.test(path));
}

/**
 * @example
 *   const filter = await gatewayFilter({ port: remote.port });
 *   // JUPYTER_URL=filter.url … then: expect(filter.refused()).toEqual([])
 */
export async function gatewayFilter(target: { port: number }): Promise<GatewayFilter> {
  const requests: FilteredRequest[] = [];
  const sockets = new Set<Socket>();
  const record = (req: IncomingMessage, isWebSocket: boolean): FilteredRequest => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://filter').pathname;
    const entry: FilteredRequest = { method, path, isWebSocket, passed: isGatewayRequest(method, path) };
    requests.push(entry);
    return entry;
  };

  const server: Server = createServer((req, res) => {
    const entry = record(req, false);
    if (!entry.passed) {
      req.resume();
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ reason: 'Not Found', message: 'Not Found' }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (entry.method === 'POST' && entry.path.replace(/\/$/, '') === '/api/kernels' && body.length > 0) {
        try {
          entry.body = JSON.parse(body.toString('utf8'));
        } catch {
          entry.body = body.toString('utf8');
        }
      }
      const upstream = request({ host: '127.0.0.1', port: target.port, method: entry.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });

  // A WebSocket upgrade is passed through as raw bytes: the request head is replayed to the server, then both
  // sockets are piped (no Nagle delay on either, as on the real path).
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const entry = record(req, true);
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    if (!entry.passed) {
      client.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const upstream = connect(target.port, '127.0.0.1', () => {
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    const end = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end);
    client.on('error', end);
    upstream.on('close', end);
    client.on('close', end);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the gateway filter has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    refused: () => requests.filter((entry) => !entry.passed),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
