/**
 * The Hono app: the API under `/api` (token required except `/api/health`; under JupyterHub, the hub's login or
 * a hub API token instead) and the built UI at `/`. `AppType` types the web client end to end. Under a base path
 * the app is the same: server.ts takes the base off each request (base-path.ts) and the page learns it from
 * index.html.
 */
import { Hono, type MiddlewareHandler } from 'hono';
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
    .use('*', deps.hub ? deps.hub.requireAccess() : requireToken(deps.token))
    .use('*', async (_c, next) => {
      deps.onActivity?.();
      await next();
    })
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
  if (deps.hub) app.route('/', deps.hub.routes());
  if (deps.webDist) mountUi(app, deps.webDist, { base: deps.basePath ?? '/', login: deps.hub ? 'hub' : 'token' }, deps.hub?.requirePageLogin());
  return app;
}

/**
 * Static files of the built UI, and index.html for the page's own routes (`/notebooks/…`), both with the page's
 * security headers (page-security.ts).
 */
function mountUi(app: Hono, webDist: string, settings: PageSettings, login: MiddlewareHandler | undefined): void {
  const page = indexPage(join(webDist, 'index.html'), settings);
  const secure = pageSecurityHeaders();
  app.use('/assets/*', secure, serveStatic({ root: relative(process.cwd(), webDist) || '.' }));
  app.get('*', secure, login ?? ((_c, next) => next()), async (c) => {
    const html = await page();
    if (html === undefined) return c.text('The UI is not built: run `npm start` (or `npm run build`).', 503);
    return c.html(html);
  });
}

/**
 * index.html for every page load, without blocking the event loop: read once, and again only when the file's
 * modification time changes (a rebuild while the server runs). `undefined` while the UI is not built.
 */
function indexPage(file: string, settings: PageSettings): () => Promise<string | undefined> {
  let cached: { mtimeMs: number; html: string } | undefined;
  return async () => {
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined;
    if (cached?.mtimeMs !== info.mtimeMs) cached = { mtimeMs: info.mtimeMs, html: pageWithSettings(await readFile(file, 'utf8'), settings) };
    return cached.html;
  };
}

/** What the page is told in index.html (web/src/api/base-path.ts reads it). */
export interface PageSettings {
  /** The base path, both slashes. */
  base: string;
  /** The token, or the login of the JupyterHub this server runs under. */
  login: 'token' | 'hub';
}

/**
 * The built index.html as served: its relative asset links (vite's `base: './'`) made absolute under the base,
 * since the page is also served at deep links (`<base>notebooks/a/b.ipynb`), and the settings told to the
 * page's code in `<meta>` elements (the policy allows no inline script, and `base-uri` is 'none').
 */
export function pageWithSettings(html: string, settings: PageSettings): string {
  const base = settings.base.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const metas = `<meta name="cellmate-base" content="${base}" />\n    <meta name="cellmate-login" content="${settings.login}" />`;
  return html
    .replace(/(\s(?:src|href)=")\.\/assets\//g, (_link, attribute: string) => `${attribute}${base}assets/`)
    .replace('<head>', () => `<head>\n    ${metas}`);
}

export type AppType = ReturnType<typeof createApp>;
