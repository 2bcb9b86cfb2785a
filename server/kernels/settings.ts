/**
 * `@jupyterlab/services` connection settings for Node: it assumes a browser unless told otherwise, so the
 * WebSocket implementation, fetch and the token are all passed explicitly.
 */
import { ServerConnection } from '@jupyterlab/services';
import WebSocket from 'ws';

export interface JupyterConnection {
  /** e.g. `http://127.0.0.1:8888/` (an embedded server's `url`, or `JUPYTER_URL`) */
  baseUrl: string;
  token: string;
  /** Default: `baseUrl` with `ws` instead of `http`. */
  wsUrl?: string;
}

/**
 * Settings for a Jupyter Server reached from Node.
 *
 * @example
 *   const settings = makeJupyterSettings({ baseUrl: jupyter.url, token: jupyter.token });
 *   const specs = new KernelSpecManager({ serverSettings: settings });
 */
export function makeJupyterSettings(connection: JupyterConnection): ServerConnection.ISettings {
  return ServerConnection.makeSettings({
    baseUrl: connection.baseUrl,
    wsUrl: connection.wsUrl ?? connection.baseUrl.replace(/^http/, 'ws'),
    token: connection.token,
    // Browsers can't set headers on a WebSocket, so the token goes in the URL; `ws` would take a header, but the
    // library only knows the query form.
    appendToken: true,
    // `ws` implements the browser WebSocket API the library relies on; its typings differ in details
    // (event classes), hence the cast at this one edge.
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    fetch: globalThis.fetch,
    Request: globalThis.Request,
    Headers: globalThis.Headers,
    init: { cache: 'no-store' },
  });
}
