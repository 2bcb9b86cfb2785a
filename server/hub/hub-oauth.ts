/**
 * The hub's OAuth, as seen from a single-user server (the flow jupyterhub's `HubOAuth` runs):
 * 1. a page load without a session is sent to the hub's authorize URL with this server's client id, its
 *    registered redirect URI and a fresh random `state`, which is also kept here and in a short-lived cookie;
 * 2. the hub (after its own login) sends the browser back to `oauth_callback?code=…&state=…`; the state must be
 *    the cookie's and one this server issued and has not used yet (no login forced on someone else's browser);
 * 3. the code is exchanged at `<api>/oauth2/token` (client secret: the server's API token), and `<api>/user`
 *    read with the access token gives the user and the token's scopes, which must grant access to this server;
 * 4. the browser gets a session cookie: random, HttpOnly, SameSite=Lax, Secure over https, scoped to the prefix.
 * The session is checked with the hub again every few minutes, so a revoked token or a logout ends it.
 * Scripts and agents skip the flow: they send a hub API token in `Authorization` (hub-tokens.ts).
 */
import { randomBytes } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { CellmateError, Unauthorized } from '../errors.ts';
import { requestHost } from '../routes/host-check.ts';
import type { HubSettings } from './hub-config.ts';
import { hubTokenOf, HubTokenCache } from './hub-tokens.ts';
import { allowsAccess } from './scopes.ts';
import { SessionStore, type HubUser } from './sessions.ts';

/** The pieces of `HubSettings` the login needs. */
export type HubOAuthSettings = Pick<HubSettings, 'prefix' | 'apiUrl' | 'apiToken' | 'clientId' | 'callbackUrl' | 'authorizeUrl' | 'accessScopes'>;

export class HubError extends CellmateError {}

const STATE_TTL_MS = 10 * 60_000;
const MAX_PENDING_STATES = 10_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** How the server reaches the hub's API (global `fetch`; tests hand in another). */
export type HubFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface HubOAuthOptions {
  fetch?: HubFetch;
  now?: () => number;
  /** How long the hub's word on a session holds before it is asked again (default 5 minutes). */
  recheckMs?: number;
  /** How long the hub's verdict on an API token holds (default 60 s). */
  tokenTtlMs?: number;
}

export class HubOAuth {
  readonly sessions: SessionStore;
  /** The hub's verdicts on API tokens sent in `Authorization`. */
  readonly tokens: HubTokenCache;
  private readonly pendingStates = new Map<string, { next: string; expires: number }>();
  private readonly fetch: HubFetch;
  private readonly now: () => number;

  constructor(
    readonly settings: HubOAuthSettings,
    options: HubOAuthOptions = {},
  ) {
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.sessions = new SessionStore({ now: this.now, recheckMs: options.recheckMs ?? 5 * 60_000, check: (token) => this.userFor(token) });
    this.tokens = new HubTokenCache({ now: this.now, check: (token) => this.userFor(token), ...(options.tokenTtlMs !== undefined ? { ttlMs: options.tokenTtlMs } : {}) });
  }

  /** Cookie names per OAuth client, so two servers of one user on one origin keep apart (as jupyterhub does). */
  get cookieName(): string {
    return `cellmate-${this.settings.clientId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  }

  get stateCookieName(): string {
    return `${this.cookieName}-oauth-state`;
  }

  /** The callback's path inside the server (what is left of the redirect URI after the prefix). */
  get callbackPath(): string {
    const path = new URL(this.settings.callbackUrl, 'http://hub.invalid').pathname;
    return path.startsWith(this.settings.prefix) ? '/' + path.slice(this.settings.prefix.length) : '/oauth_callback';
  }

  /** The user of a request's session cookie, or undefined; asks the hub again when its last word is old. */
  async userOf(c: Context): Promise<HubUser | undefined> {
    const id = getCookie(c, this.cookieName);
    return id === undefined ? undefined : this.sessions.userOf(id);
  }

  /**
   * For the API, the notebook WebSocket and `/mcp`: a hub API token in `Authorization` (`token <t>` or
   * `Bearer <t>`, what scripts and agents send), or else a browser session; either way a user whom the hub's
   * access scopes let in (401 without one, or for a token the hub refuses; 403 for a user the scopes don't
   * cover). A token is checked with the hub (`HubTokenCache`). A state-changing request on a session must also
   * come from this origin: the cookie goes with same-site requests, and pages of other servers of the same hub
   * may be same-site. A header no browser adds by itself needs no such check.
   */
  requireAccess(): MiddlewareHandler {
    return async (c, next) => {
      const authorization = c.req.header('authorization');
      if (authorization !== undefined) {
        const token = hubTokenOf(authorization);
        const user = token === undefined ? undefined : await this.tokens.userOf(token);
        if (!user) throw new Unauthorized('JupyterHub does not accept this token: send `Authorization: token <a token from the hub>` (or `Bearer`)');
        this.requireScopes(user);
        return next();
      }
      const user = await this.userOf(c);
      if (!user) throw new Unauthorized('Log in through JupyterHub: open this server from the hub, or send a hub API token (`Authorization: token <token>`)');
      this.requireScopes(user);
      if (!SAFE_METHODS.has(c.req.method)) {
        const origin = c.req.header('origin');
        const site = c.req.header('sec-fetch-site');
        if ((site !== undefined && site !== 'same-origin') || (origin !== undefined && originHost(origin) !== requestHost(c))) {
          throw new CellmateError('Cross-origin request refused', 403);
        }
      }
      await next();
    };
  }

  /** For page loads: a session, or off to the hub's login (which comes back to the same page). */
  requirePageLogin(): MiddlewareHandler {
    return async (c, next) => {
      const user = await this.userOf(c);
      if (!user) return this.beginLogin(c);
      this.requireScopes(user);
      await next();
    };
  }

  /** Starts a login: a new state, remembered here and in a cookie, and the hub's authorize URL carrying it. */
  beginLogin(c: Context): Response {
    this.dropExpiredStates();
    for (const oldest of this.pendingStates.keys()) {
      if (this.pendingStates.size < MAX_PENDING_STATES) break;
      this.pendingStates.delete(oldest);
    }
    const state = randomBytes(24).toString('base64url');
    const next = this.settings.prefix.slice(0, -1) + c.req.path + new URL(c.req.url).search;
    this.pendingStates.set(state, { next, expires: this.now() + STATE_TTL_MS });
    setCookie(c, this.stateCookieName, state, { ...this.cookieOptions(c), maxAge: STATE_TTL_MS / 1000 });
    const target = new URL(this.settings.authorizeUrl, 'http://hub.invalid');
    target.searchParams.set('client_id', this.settings.clientId);
    target.searchParams.set('redirect_uri', this.settings.callbackUrl);
    target.searchParams.set('response_type', 'code');
    target.searchParams.set('state', state);
    const location = target.origin === 'http://hub.invalid' ? target.pathname + target.search : target.href;
    return c.redirect(location, 302);
  }

  /** `GET <prefix>oauth_callback`: checks the state, trades the code for a user, opens a session. */
  routes() {
    return new Hono().get(this.callbackPath, async (c) => {
      const code = c.req.query('code');
      const state = c.req.query('state');
      const cookieState = getCookie(c, this.stateCookieName);
      deleteCookie(c, this.stateCookieName, this.cookieOptions(c));
      this.dropExpiredStates();
      const pending = state === undefined ? undefined : this.pendingStates.get(state);
      if (!code || !state || state !== cookieState || !pending) {
        throw new CellmateError('OAuth state mismatch: start again from the hub (the login may have been started in another tab, or expired)', 400);
      }
      this.pendingStates.delete(state);
      const accessToken = await this.tokenForCode(code);
      const user = await this.userFor(accessToken);
      if (!user) throw new HubError('JupyterHub did not accept the token it issued', 502);
      this.requireScopes(user);
      const id = this.sessions.open(user, accessToken);
      setCookie(c, this.cookieName, id, this.cookieOptions(c));
      return c.redirect(pending.next.startsWith(this.settings.prefix) ? pending.next : this.settings.prefix, 302);
    });
  }

  /** Trades an authorisation code for an access token at `<api>/oauth2/token`. */
  async tokenForCode(code: string): Promise<string> {
    const body = new URLSearchParams({
      client_id: this.settings.clientId,
      client_secret: this.settings.apiToken,
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.settings.callbackUrl,
    });
    const response = await this.hubRequest(`${this.settings.apiUrl}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `token ${this.settings.apiToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    if (!response.ok) throw new CellmateError(`JupyterHub refused the login code (${response.status}): start again from the hub`, 403);
    const reply: unknown = await response.json();
    const token = typeof reply === 'object' && reply !== null && 'access_token' in reply ? reply.access_token : undefined;
    if (typeof token !== 'string' || token === '') throw new HubError('JupyterHub answered the code without an access token', 502);
    return token;
  }

  /** The user and scopes of an access token (`<api>/user`), or undefined when the hub refuses the token. */
  async userFor(accessToken: string): Promise<HubUser | undefined> {
    const response = await this.hubRequest(`${this.settings.apiUrl}/user`, { headers: { authorization: `token ${accessToken}` } });
    if (response.status === 401 || response.status === 403) return undefined;
    if (!response.ok) throw new HubError(`JupyterHub answered ${response.status} about a user`, 502);
    const model: unknown = await response.json();
    if (typeof model !== 'object' || model === null) throw new HubError('JupyterHub sent no user', 502);
    const name = 'name' in model ? model.name : undefined;
    const scopes = 'scopes' in model ? model.scopes : undefined;
    if (typeof name !== 'string' || !Array.isArray(scopes)) throw new HubError('JupyterHub sent a user without a name or scopes', 502);
    return { name, scopes: scopes.filter((scope): scope is string => typeof scope === 'string') };
  }

  private requireScopes(user: HubUser): void {
    if (!allowsAccess(this.settings.accessScopes, user.scopes)) throw new CellmateError(`${user.name} may not use this server (JupyterHub grants none of the scopes it needs)`, 403);
  }

  private async hubRequest(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
    } catch (error) {
      throw new HubError(`JupyterHub could not be reached at ${url}: ${error instanceof Error ? error.message : String(error)}`, 502);
    }
  }

  private cookieOptions(c: Context): CookieOptions {
    const isHttps = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
    return { path: this.settings.prefix, httpOnly: true, sameSite: 'Lax', secure: isHttps };
  }

  private dropExpiredStates(): void {
    const now = this.now();
    for (const [state, pending] of this.pendingStates) if (pending.expires <= now) this.pendingStates.delete(state);
  }
}
