/**
 * The REST client row 1 times: `node:http` over one kept-alive connection with Nagle off, the HTTP counterpart of
 * the direct baseline's one WebSocket. `fetch` (undici) is also keep-alive with Nagle off, but its web streams and
 * `Headers` cost about a millisecond and a half of this process's time per call on this machine: the row notes its
 * median too, so the client's own share is visible rather than counted as Cellmate's.
 */
import http from 'node:http';

export interface BenchHttpClient {
  /** POSTs `body` as JSON with the bearer token; resolves with the status and the body read whole. */
  post(path: string, body: unknown): Promise<{ status: number; text: string }>;
  close(): void;
}

export function benchHttpClient(baseUrl: string, token: string): BenchHttpClient {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1, noDelay: true });
  return {
    post(path, body) {
      const json = JSON.stringify(body);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) };
      return new Promise((resolve, reject) => {
        const request = http.request({ agent, host: url.hostname, port: url.port, method: 'POST', path, headers }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          response.on('error', reject);
        });
        request.on('error', reject);
        request.end(json);
      });
    },
    close: () => agent.destroy(),
  };
}
