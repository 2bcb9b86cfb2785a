/**
 * DNS rebinding: a page at `http://evil.example:8765` whose name the attacker points at 127.0.0.1 talks to
 * Cellmate as its own origin, sending `Host: evil.example:8765` (and a matching `Origin`). Every request must
 * therefore name this server in its `Host`: an IP address (a name can be rebound, an address can't),
 * `localhost`, the address Cellmate listens on (`CELLMATE_HOST`), or a name in `CELLMATE_ALLOWED_HOSTS`
 * (comma-separated; `*` turns the check off, e.g. behind a proxy that keeps varied names). Compared without
 * case, port ignored (a rebound name must use our port anyway to reach us).
 */
import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { CellmateError } from '../errors.ts';

export interface HostPolicy {
  /** The address Cellmate listens on (`CELLMATE_HOST`). */
  bindHost: string;
  /** More names to answer to (`CELLMATE_ALLOWED_HOSTS`); `*` answers to any. */
  allowedHosts?: readonly string[];
}

/** `host[:port]` as a URL would hold it: lower case, IPv6 in brackets; undefined when it is no host at all. */
export function normalizeHost(value: string): string | undefined {
  try {
    const url = new URL(`http://${value}`);
    return url.username || url.password || url.pathname !== '/' || url.search || url.hash ? undefined : url.host;
  } catch {
    return undefined;
  }
}

/** The host name of `host[:port]` (no port; IPv6 without brackets), lower case. */
function hostnameOf(host: string): string {
  const name = new URL(`http://${host}`).hostname;
  return name.startsWith('[') ? name.slice(1, -1) : name;
}

/** The request's `Host`, normalised (in-process requests without one: the URL's host). */
export function requestHost(c: Context): string | undefined {
  const header = c.req.header('host');
  return normalizeHost(header ?? new URL(c.req.url).host);
}

/** Whether a request naming `host` is meant for this server (see the header). */
export function isKnownHost(host: string, policy: HostPolicy): boolean {
  const allowed = new Set(['localhost', hostnameOf(normalizeHost(policy.bindHost) ?? 'localhost')]);
  for (const entry of policy.allowedHosts ?? []) {
    if (entry.trim() === '*') return true;
    const normalized = normalizeHost(entry.trim());
    if (normalized) allowed.add(hostnameOf(normalized));
  }
  const name = hostnameOf(host);
  return isIP(name) !== 0 || allowed.has(name);
}

const MAX_REMEMBERED_HOSTS = 64;

/** Refuses (403) a request whose `Host` is not this server's, before anything else looks at it. */
export function requireKnownHost(policy: HostPolicy): MiddlewareHandler {
  // Each verdict needs a few URL parses; a browser sends the same `Host` every time, so they are kept (a bounded
  // number: a client sending many names only empties the memo).
  const verdicts = new Map<string, boolean>();
  const isKnown = (c: Context): boolean => {
    const raw = c.req.header('host');
    const known = raw === undefined ? undefined : verdicts.get(raw);
    if (known !== undefined) return known;
    const host = requestHost(c);
    const verdict = host !== undefined && isKnownHost(host, policy);
    if (raw !== undefined) {
      if (verdicts.size >= MAX_REMEMBERED_HOSTS) verdicts.clear();
      verdicts.set(raw, verdict);
    }
    return verdict;
  };
  return async (c, next) => {
    if (!isKnown(c)) {
      throw new CellmateError(
        `Host ${JSON.stringify(c.req.header('host') ?? '')} is not this server's name: open Cellmate at an address it listens on, or add the name to CELLMATE_ALLOWED_HOSTS`,
        403,
      );
    }
    await next();
  };
}
