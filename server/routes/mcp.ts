/**
 * `/mcp`: the notebook as a Model Context Protocol server (Streamable HTTP, see `../mcp/`), for agents people
 * already use. Behind the same token as the API (`Authorization: Bearer`; under JupyterHub, a hub API token
 * with access to this server, or the hub's browser session, see hub-oauth.ts), the Host check every request
 * passes, the API's body limits, and an `Origin` check (a browser page of another site is refused, as the
 * specification asks). Its use counts as activity for the hub, like the API's. An MCP client is one more client of the notebook sessions: it changes documents only through them.
 */
import { Hono } from 'hono';
import { CellmateError } from '../errors.ts';
import { McpEndpoint } from '../mcp/endpoint.ts';
import { requireToken } from './auth.ts';
import { guardBodies, isJsonContentType } from './body-guard.ts';
import type { AppDeps } from './deps.ts';
import { requestHost } from './host-check.ts';

export function mcpRoutes(deps: AppDeps, endpoint?: McpEndpoint) {
  const limits = deps.limits ?? deps.workspace.limits;
  const mcp = endpoint ?? new McpEndpoint({ sessions: deps.sessions, workspace: deps.workspace, maxBodyBytes: limits.maxBodyBytes });
  return new Hono()
    .use('*', deps.hub ? deps.hub.requireAccess() : requireToken(deps.token))
    .use('*', async (_c, next) => {
      deps.onActivity?.();
      await next();
    })
    .use('*', async (c, next) => {
      const origin = c.req.header('origin');
      // Agents send none; a browser always does (`null` from a sandboxed frame, which no URL parses).
      if (origin !== undefined && originHost(origin) !== requestHost(c)) throw new CellmateError(`Cross-origin request refused (Origin ${origin})`, 403);
      await next();
    })
    .use('*', guardBodies(limits))
    .all('/', async (c) => {
      let body: unknown;
      if (c.req.method === 'POST' && isJsonContentType(c.req.header('content-type'))) {
        try {
          body = JSON.parse(await c.req.text());
        } catch {
          return c.json({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the body is not JSON' }, id: null }, 400);
        }
      }
      return mcp.handle(c.req.raw, body);
    });
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
