/**
 * The MCP endpoint: Streamable HTTP with the official SDK's web-standard transport (a `Request` in, a `Response`
 * out, which is what Hono hands around). Each client's `initialize` makes an MCP session with its own
 * `McpServer`, tools and turns (`Mcp-Session-Id` names it on every later request); `DELETE` ends it. Sessions
 * live in memory, at most `maxSessions` of them (the least recently used one goes), and one unused for
 * `idleMs` is dropped. There is no standalone server-to-client stream (`GET` answers 405, as the specification
 * allows): every answer travels on its own request, so no connection outlives its call.
 */
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { ClientTurns } from './client-turns.ts';
import { registerNotebookTools, type McpToolDeps } from './tools.ts';

export interface McpEndpointOptions extends McpToolDeps {
  /** Cellmate's version, told to clients. */
  version?: string;
  maxSessions?: number;
  idleMs?: number;
  /** Largest request body (bytes): `CELLMATE_MAX_BODY_BYTES`. */
  maxBodyBytes?: number;
}

interface McpSession {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  lastUsed: number;
}

const INSTRUCTIONS =
  'Cellmate notebooks: Jupyter notebooks with a live kernel, open in people\'s browsers while you work. Name the ' +
  'notebook in every call. Read before you change a cell, and give the version you read; a cell changed since is ' +
  'refused with its current text. Your changes show live in every open tab, marked with your name, and the person ' +
  'can review them and undo all of them in one step.';

/** A client's name as given in `initialize`, made safe to keep in a notebook and show: printable, short. */
export function clientName(info: { name?: string; title?: string } | undefined): string {
  const raw = (info?.title || info?.name || '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return raw === '' ? 'MCP client' : raw.slice(0, 80);
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });
}

export class McpEndpoint {
  readonly #options: McpEndpointOptions;
  readonly #sessions = new Map<string, McpSession>();

  constructor(options: McpEndpointOptions) {
    this.#options = options;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Answers one HTTP request of the MCP transport; `body` is the parsed JSON of a POST. */
  async handle(request: Request, body?: unknown): Promise<Response> {
    if (request.method === 'GET') return new Response(null, { status: 405, headers: { allow: 'POST, DELETE' } });
    const id = request.headers.get('mcp-session-id');
    if (id !== null) {
      const session = this.#sessions.get(id);
      // 404 tells a client its session is gone (a restart): it initializes again.
      if (!session) return jsonRpcError(404, -32001, 'Session not found: initialize again');
      session.lastUsed = Date.now();
      return session.transport.handleRequest(request, { parsedBody: body });
    }
    if (request.method !== 'POST' || !isInitializeRequest(body)) {
      return jsonRpcError(400, -32000, 'Bad Request: send initialize first, then the Mcp-Session-Id it gives on every request');
    }
    const session = await this.#create();
    return session.transport.handleRequest(request, { parsedBody: body });
  }

  /** Ends every MCP session. */
  async close(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((s) => s.server.close().catch(() => undefined)));
  }

  async #create(): Promise<McpSession> {
    this.#evict();
    const server = new McpServer({ name: 'cellmate', version: this.#options.version ?? '0.1.0' }, { instructions: INSTRUCTIONS });
    const turns = new ClientTurns(this.#options.sessions, () => clientName(server.server.getClientVersion()));
    registerNotebookTools(server, this.#options, turns);
    const session: McpSession = {
      server,
      lastUsed: Date.now(),
      transport: new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void this.#sessions.set(id, session),
        onsessionclosed: (id) => void this.#sessions.delete(id),
        ...(this.#options.maxBodyBytes ? { maxRequestBodySize: this.#options.maxBodyBytes } : {}),
      }),
    };
    session.transport.onclose = () => {
      const id = session.transport.sessionId;
      if (id !== undefined && this.#sessions.get(id) === session) this.#sessions.delete(id);
    };
    await server.connect(session.transport);
    return session;
  }

  /** Drops sessions idle too long, and the least recently used ones beyond the limit (one place is made). */
  #evict(): void {
    const idleMs = this.#options.idleMs ?? 6 * 60 * 60 * 1000;
    const max = this.#options.maxSessions ?? 100;
    const now = Date.now();
    const byAge = [...this.#sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [index, [id, session]] of byAge.entries()) {
      if (now - session.lastUsed <= idleMs && byAge.length - index < max) break;
      this.#sessions.delete(id);
      void session.server.close().catch(() => undefined);
    }
  }
}
