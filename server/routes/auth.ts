/**
 * Token auth for the API: `Authorization: Bearer <token>` or `?token=<token>` (browsers can't set headers on a
 * WebSocket), compared in constant time. WebSocket upgrades also need a same-origin `Origin`, so a page on
 * another site can't drive a notebook with a token it stole from nowhere but a user's open tab.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { CellmateError, Unauthorized } from '../errors.ts';
import { requestHost } from './host-check.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function tokenMatches(expected: string, given: string | undefined): boolean {
  return given !== undefined && timingSafeEqual(digest(expected), digest(given));
}

/** `tokenMatches` for one expected token, whose digest is made once (every API request checks it). */
function tokenMatcher(expected: string): (given: string | undefined) => boolean {
  const expectedDigest = digest(expected);
  return (given) => given !== undefined && timingSafeEqual(expectedDigest, digest(given));
}

function tokenOf(authorization: string | undefined, query: string | undefined): string | undefined {
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  return bearer ?? query;
}

export function requireToken(token: string): MiddlewareHandler {
  const matches = tokenMatcher(token);
  return async (c, next) => {
    if (!matches(tokenOf(c.req.header('authorization'), c.req.query('token')))) throw new Unauthorized();
    await next();
  };
}

/**
 * Refuses a WebSocket upgrade whose `Origin` (sent by every browser) is not this server's own: the same host and
 * port as the request's `Host`, compared as URLs compare them (no case, default ports left out). That `Host`
 * names this server at all is checked before, for every request (host-check.ts).
 */
export function requireSameOrigin(): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      if (originHost === undefined || originHost !== requestHost(c)) throw new CellmateError(`Cross-origin WebSocket refused (Origin ${origin})`, 403);
    }
    await next();
  };
}
