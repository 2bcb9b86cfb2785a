/**
 * JupyterHub single-user mode: what the hub's spawner tells the process it starts, through the environment.
 * A spawner sets `JUPYTERHUB_API_TOKEN`, `JUPYTERHUB_CLIENT_ID`, `JUPYTERHUB_SERVICE_PREFIX` (`/user/<name>/`)
 * and the rest; their presence is what turns Cellmate into the user's single-user server (README, "Under
 * JupyterHub"). The same start script runs either way: this only changes where it listens, the base path and
 * who is let in.
 */
import { z } from 'zod';

export interface HubSettings {
  /** The path every URL of this server lives under, with both slashes: `/user/alice/`. */
  prefix: string;
  /** Where the spawner expects the server (`JUPYTERHUB_SERVICE_URL`), if it said. */
  listen?: { host: string; port: number };
  /** The hub's REST API, e.g. `http://127.0.0.1:8081/hub/api` (no trailing slash). */
  apiUrl: string;
  /** This server's own token with the hub: the OAuth client secret, and what activity reports carry. */
  apiToken: string;
  clientId: string;
  /** The OAuth redirect URI registered with the hub (a path under `prefix`, or a full URL). */
  callbackUrl: string;
  /** Where browsers are sent to authorise: the hub's `/hub/api/oauth2/authorize`, as a path or a full URL. */
  authorizeUrl: string;
  /** Scopes of which a user must hold one to get in, e.g. `access:servers!server=alice/`. */
  accessScopes: string[];
  /** `POST` target for activity (`JUPYTERHUB_ACTIVITY_URL`); no reports without it. */
  activityUrl?: string;
  /** Seconds between activity reports (`JUPYTERHUB_ACTIVITY_INTERVAL`, default 300, as jupyterhub-singleuser). */
  activityIntervalSeconds: number;
  /** The server's owner and name (`JUPYTERHUB_USER`, `JUPYTERHUB_SERVER_NAME`; '' is the default server). */
  user: string;
  serverName: string;
  /** The hub's public host (`JUPYTERHUB_HOST`, e.g. `https://hub.example.org`), '' when it is served relative. */
  publicHost: string;
}

const scopeList = z
  .string()
  .transform((text, ctx) => {
    try {
      const value: unknown = JSON.parse(text);
      const parsed = z.array(z.string()).safeParse(value);
      if (parsed.success) return parsed.data;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON list of scope names' });
    return z.NEVER;
  });

const hubEnv = z.object({
  JUPYTERHUB_API_TOKEN: z.string().min(1),
  JUPYTERHUB_CLIENT_ID: z.string().min(1),
  JUPYTERHUB_SERVICE_PREFIX: z.string().startsWith('/').endsWith('/'),
  JUPYTERHUB_API_URL: z.url().default('http://127.0.0.1:8081/hub/api'),
  JUPYTERHUB_SERVICE_URL: z.url().optional(),
  JUPYTERHUB_OAUTH_CALLBACK_URL: z.string().min(1).optional(),
  JUPYTERHUB_OAUTH_ACCESS_SCOPES: scopeList.optional(),
  JUPYTERHUB_OAUTH_SCOPES: scopeList.optional(),
  JUPYTERHUB_ACTIVITY_URL: z.url().optional(),
  JUPYTERHUB_ACTIVITY_INTERVAL: z.coerce.number().min(1).default(300),
  JUPYTERHUB_BASE_URL: z.string().startsWith('/').default('/'),
  JUPYTERHUB_HOST: z.string().default(''),
  JUPYTERHUB_USER: z.string().default(''),
  JUPYTERHUB_SERVER_NAME: z.string().default(''),
});

/** Whether the environment is a hub spawner's (any of the variables that only a spawner sets). */
export function isHubEnvironment(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.JUPYTERHUB_SERVICE_PREFIX || env.JUPYTERHUB_API_TOKEN || env.JUPYTERHUB_CLIENT_ID);
}

function joinPath(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

/**
 * The hub's settings from a spawner's environment, or undefined outside a hub. A partial set (a hub variable
 * without the others) is an error, not stand-alone mode: the server would otherwise come up without the hub's
 * login, reachable through the hub's proxy.
 */
export function hubSettingsFromEnv(env: NodeJS.ProcessEnv): HubSettings | undefined {
  if (!isHubEnvironment(env)) return undefined;
  const parsed = hubEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid JupyterHub environment: ${problems}`);
  }
  const e = parsed.data;
  const prefix = e.JUPYTERHUB_SERVICE_PREFIX;
  let listen: HubSettings['listen'];
  if (e.JUPYTERHUB_SERVICE_URL) {
    const url = new URL(e.JUPYTERHUB_SERVICE_URL);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    listen = { host: host || '127.0.0.1', port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
  }
  const user = e.JUPYTERHUB_USER;
  const serverName = e.JUPYTERHUB_SERVER_NAME;
  // As jupyterhub's HubOAuth: the new name first, the deprecated one next; a hub older than 2.0 passes
  // neither, and then only the owner's own server scope lets anyone in.
  const accessScopes = e.JUPYTERHUB_OAUTH_ACCESS_SCOPES ?? e.JUPYTERHUB_OAUTH_SCOPES ?? (user ? [`access:servers!server=${user}/${serverName}`] : []);
  if (accessScopes.length === 0) throw new Error('Invalid JupyterHub environment: JUPYTERHUB_OAUTH_ACCESS_SCOPES (or JUPYTERHUB_USER) is needed to know who may get in');
  const apiUrl = e.JUPYTERHUB_API_URL.replace(/\/+$/, '');
  return {
    prefix,
    ...(listen ? { listen } : {}),
    apiUrl,
    apiToken: e.JUPYTERHUB_API_TOKEN,
    clientId: e.JUPYTERHUB_CLIENT_ID,
    callbackUrl: e.JUPYTERHUB_OAUTH_CALLBACK_URL ?? joinPath(prefix, 'oauth_callback'),
    authorizeUrl: e.JUPYTERHUB_HOST + joinPath(joinPath(e.JUPYTERHUB_BASE_URL, 'hub'), 'api/oauth2/authorize'),
    accessScopes,
    ...(e.JUPYTERHUB_ACTIVITY_URL ? { activityUrl: e.JUPYTERHUB_ACTIVITY_URL } : {}),
    activityIntervalSeconds: e.JUPYTERHUB_ACTIVITY_INTERVAL,
    user,
    serverName,
    publicHost: e.JUPYTERHUB_HOST,
  };
}
