/**
 * Serving the whole app under a path (`CELLMATE_BASE_PATH`, or the hub's `/user/<name>/`): a request under the
 * base reaches the app with the base taken off its URL, so the app's own routes (`/api/…`, `/notebooks/…`,
 * `/assets/…`) are the same at any base; the base without its final slash is redirected to it; anything else
 * is 404. The page learns the base from index.html (app.ts), so one build serves any base.
 */

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/**
 * `/user/alice/` from `user/alice`, `/user/alice` or `/user/alice/`; `/` for empty. Refuses what a URL path
 * would read differently (dot segments, empty segments, query or fragment characters, spaces).
 */
export function normalizeBasePath(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === '/') return '/';
  const inner = trimmed.replace(/^\/+/, '').replace(/\/+$/, '');
  const segments = inner.split('/');
  const isClean = segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..' && /^[A-Za-z0-9\-._~!$&'()*+,;=:@%]+$/.test(segment));
  if (!isClean) throw new Error(`not a URL path: ${JSON.stringify(value)}`);
  return `/${inner}/`;
}

/**
 * A fetch handler serving `app` under `base` (normalised, with both slashes). At `/` it is `app` itself.
 *
 * @example
 *   serve({ fetch: underBasePath(app.fetch, '/user/alice/') }) // GET /user/alice/api/health → app's /api/health
 */
export function underBasePath(fetchApp: Fetch, base: string): Fetch {
  if (base === '/') return fetchApp;
  const bare = base.slice(0, -1);
  return (request, env) => {
    const url = new URL(request.url);
    if (url.pathname === bare && (request.method === 'GET' || request.method === 'HEAD')) {
      return new Response(null, { status: 302, headers: { location: base + url.search } });
    }
    if (!url.pathname.startsWith(base)) {
      return Response.json({ error: `Not found: Cellmate is served under ${base}` }, { status: 404, headers: { 'x-content-type-options': 'nosniff' } });
    }
    url.pathname = url.pathname.slice(bare.length);
    const hasBody = request.body !== null && request.method !== 'GET' && request.method !== 'HEAD';
    const inner = new Request(url, {
      method: request.method,
      headers: request.headers,
      signal: request.signal,
      redirect: request.redirect,
      ...(hasBody ? { body: request.body, duplex: 'half' } : {}),
    });
    return fetchApp(inner, env);
  };
}
