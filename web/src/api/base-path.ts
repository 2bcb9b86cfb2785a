/**
 * Where the app lives: the server serves everything under a base path (`/` by default, `/user/alice/` under
 * JupyterHub, `CELLMATE_BASE_PATH` behind a proxy) and says which in index.html's
 * `<meta name="cellmate-base">`; one build serves any base. Every URL the page makes (API calls, the notebook
 * socket, uploads, its own links and history entries) goes through `appUrl`, and the router reads the address
 * bar through `appPath`.
 */

/** What `readPageSettings` needs from the page; a parameter so tests run without a DOM. */
export interface PageSettingsSource {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
}

export interface PageSettings {
  /** The base path, with both slashes (`/`, `/user/alice/`). */
  base: string;
  /** How this server lets people in: its token, or the login of the JupyterHub it runs under. */
  login: 'token' | 'hub';
}

export function readPageSettings(source: PageSettingsSource | undefined): PageSettings {
  const base = source?.querySelector('meta[name="cellmate-base"]')?.getAttribute('content') ?? '/';
  const login = source?.querySelector('meta[name="cellmate-login"]')?.getAttribute('content');
  return { base: base.startsWith('/') && base.endsWith('/') ? base : '/', login: login === 'hub' ? 'hub' : 'token' };
}

let settings = readPageSettings(typeof document === 'undefined' ? undefined : document);

export function pageSettings(): PageSettings {
  return settings;
}

/** For tests: the page as if served under another base or login. */
export function setPageSettings(next: PageSettings): void {
  settings = next;
}

/**
 * An app path (`/api/files`, `/notebooks/a.ipynb`, `/`) as a URL path under the base.
 *
 * @example
 *   // served under /user/alice/
 *   appUrl('/api/health') // → '/user/alice/api/health'
 */
export function appUrl(path: string): string {
  return settings.base + path.replace(/^\/+/, '');
}

/** The app path of a URL path under the base (`/user/alice/notebooks/a.ipynb` → `/notebooks/a.ipynb`); a path
 * outside it is returned as it is (the router shows it as not found). */
export function appPath(pathname: string): string {
  const { base } = settings;
  if (base === '/') return pathname;
  if (pathname.startsWith(base)) return '/' + pathname.slice(base.length);
  return pathname === base.slice(0, -1) ? '/' : pathname;
}
