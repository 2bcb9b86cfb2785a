/**
 * The Hono app: the API under `/api` (token required except `/api/health`) and the built UI at `/`.
 * `AppType` types the web client end to end.
 */
import { Hono } from 'hono';
import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { NotFound } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { requireToken } from './auth.ts';
import { guardBodies } from './body-guard.ts';
import { requireKnownHost } from './host-check.ts';
import { errorResponse } from './errors.ts';
import { notebookRoutes } from './notebooks.ts';
import { notebookSocketRoutes } from './notebook-ws.ts';
import { agentRoutes } from './agent.ts';
import { assistantRoutes } from './assistant.ts';
import { fileRoutes } from './files.ts';
import { kernelRoutes } from './kernels.ts';
import { mcpRoutes } from './mcp.ts';
import { inlineCompletionRoutes } from './inline-completion.ts';
import { pageSecurityHeaders } from './page-security.ts';

export function createApp(deps: AppDeps) {
  const limits = deps.limits ?? deps.workspace.limits;
  const api = new Hono()
    .get('/health', (c) => c.json({ status: 'ok' as const }))
    .use('*', requireToken(deps.token))
    .use('*', guardBodies(limits))
    .route('/notebooks', notebookRoutes(deps))
    .route('/notebooks', notebookSocketRoutes(deps))
    .route('/', agentRoutes(deps))
    .route('/', assistantRoutes(deps))
    .route('/files', fileRoutes(deps))
    .route('/', kernelRoutes(deps))
    .route('/', inlineCompletionRoutes(deps))
    .all('*', (c) => {
      throw new NotFound(`No such API route: ${c.req.method} ${c.req.path}`);
    });

  const app = new Hono()
    // Before anything answers: a request for another name is DNS rebinding (host-check.ts).
    .use('*', requireKnownHost(deps.hosts ?? { bindHost: '127.0.0.1' }))
    .use('*', async (c, next) => {
      await next();
      // On the response in place: `c.header()` after the handler copies the whole response into a new one (a
      // stream), which on Node costs more than the rest of a small API answer.
      c.res.headers.set('x-content-type-options', 'nosniff');
      c.res.headers.set('referrer-policy', 'no-referrer');
    })
    .route('/api', api)
    // Agents over the Model Context Protocol: one more client of the notebook sessions (mcp.ts).
    .route('/mcp', mcpRoutes(deps));
  app.onError(errorResponse);
  if (deps.webDist) mountUi(app, deps.webDist);
  return app;
}

/**
 * Static files of the built UI, and index.html for the page's own routes (`/notebooks/…`), both with the page's
 * security headers (page-security.ts).
 */
function mountUi(app: Hono, webDist: string): void {
  const page = indexPage(join(webDist, 'index.html'));
  const secure = pageSecurityHeaders();
  app.use('/assets/*', secure, serveStatic({ root: relative(process.cwd(), webDist) || '.' }));
  app.get('*', secure, async (c) => {
    const html = await page();
    if (html === undefined) return c.text('The UI is not built: run `npm start` (or `npm run build`).', 503);
    return c.html(html);
  });
}

/**
 * index.html for every page load, without blocking the event loop: read once, and again only when the file's
 * modification time changes (a rebuild while the server runs). `undefined` while the UI is not built.
 */
function indexPage(file: string): () => Promise<string | undefined> {
  let cached: { mtimeMs: number; html: string } | undefined;
  return async () => {
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined;
    if (cached?.mtimeMs !== info.mtimeMs) cached = { mtimeMs: info.mtimeMs, html: await readFile(file, 'utf8') };
    return cached.html;
  };
}

export type AppType = ReturnType<typeof createApp>;
