/**
 * Hub API tokens on requests: `Authorization: token <t>` or `Authorization: Bearer <t>`, the two forms
 * jupyterhub's own single-user servers take, so a script or an agent (MCP) reaches the user's Cellmate with a
 * token the hub issued. The hub says whose token it is and what it may do (`GET <api>/user` with the token); its
 * verdict, yes or no, is kept for a short while under the token's SHA-256 (the token itself is not kept), so a
 * burst of requests asks once. The cache is bounded: past its size the oldest verdicts go first. A hub that
 * can't be reached gives no verdict (the request fails with 502, and the next asks again).
 */
import { createHash } from 'node:crypto';
import type { HubUser } from './sessions.ts';

export interface HubTokenCacheOptions {
  /** Asks the hub who holds the token (undefined: the hub refuses it). */
  check: (token: string) => Promise<HubUser | undefined>;
  now: () => number;
  /** How long a verdict holds (default 60 s; jupyterhub's `HubAuth` keeps its own for 5 minutes). */
  ttlMs?: number;
  /** The most verdicts kept (default 1,000). */
  maxEntries?: number;
}

interface Verdict {
  user: HubUser | undefined;
  expires: number;
}

/** The token of an `Authorization` header in either form, or undefined. */
export function hubTokenOf(authorization: string | undefined): string | undefined {
  return authorization?.match(/^(?:token|bearer)\s+(\S+)\s*$/i)?.[1];
}

export class HubTokenCache {
  private readonly verdicts = new Map<string, Verdict>();
  /** Questions being asked now, so concurrent requests with one token ask the hub once. */
  private readonly asking = new Map<string, Promise<HubUser | undefined>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: HubTokenCacheOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 1_000;
  }

  /** The token's user and scopes as the hub reported them at most `ttlMs` ago; undefined: the hub refuses it. */
  async userOf(token: string): Promise<HubUser | undefined> {
    const key = createHash('sha256').update(token).digest('hex');
    const known = this.verdicts.get(key);
    if (known && known.expires > this.options.now()) return known.user;
    let pending = this.asking.get(key);
    if (!pending) {
      pending = this.options.check(token).finally(() => this.asking.delete(key));
      this.asking.set(key, pending);
    }
    const user = await pending;
    this.remember(key, user);
    return user;
  }

  get size(): number {
    return this.verdicts.size;
  }

  private remember(key: string, user: HubUser | undefined): void {
    // Deleted first so a renewed verdict moves to the end of the map's order (the newest).
    this.verdicts.delete(key);
    this.verdicts.set(key, { user, expires: this.options.now() + this.ttlMs });
    for (const oldest of this.verdicts.keys()) {
      if (this.verdicts.size <= this.maxEntries) break;
      this.verdicts.delete(oldest);
    }
  }
}
