/**
 * Browser sessions of hub users: a random 256-bit id in the cookie, and here, under the id's SHA-256, the user,
 * the hub access token and when the hub last vouched for it. Nothing in the cookie can be forged or read: it is
 * only a key. Sessions live in memory, so a restart of the server means one more trip through the hub's login
 * (which the hub answers at once for a user still logged in there).
 */
import { createHash, randomBytes } from 'node:crypto';

export interface HubUser {
  name: string;
  scopes: string[];
}

interface Session {
  user: HubUser;
  accessToken: string;
  checkedAt: number;
  /** The hub's answer being awaited, so concurrent requests ask once. */
  checking?: Promise<HubUser | undefined>;
}

export interface SessionStoreOptions {
  now: () => number;
  recheckMs: number;
  /** Asks the hub who holds the token now (undefined: the hub refuses it). */
  check: (accessToken: string) => Promise<HubUser | undefined>;
  /** The most sessions kept; the oldest go first (default 10,000). */
  maxSessions?: number;
}

function key(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: SessionStoreOptions) {}

  /** A new session for `user`; returns the id for the cookie. */
  open(user: HubUser, accessToken: string): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(key(id), { user, accessToken, checkedAt: this.options.now() });
    const max = this.options.maxSessions ?? 10_000;
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= max) break;
      this.sessions.delete(oldest);
    }
    return id;
  }

  /**
   * The session's user, asking the hub again when its last answer is older than `recheckMs`; a session the hub
   * no longer vouches for (token revoked or expired, user logged out) is dropped. The user's scopes are those
   * the hub reports now.
   */
  async userOf(id: string): Promise<HubUser | undefined> {
    const k = key(id);
    const session = this.sessions.get(k);
    if (!session) return undefined;
    if (this.options.now() - session.checkedAt < this.options.recheckMs) return session.user;
    session.checking ??= this.options.check(session.accessToken).finally(() => {
      session.checking = undefined;
    });
    const user = await session.checking;
    if (!user) {
      this.sessions.delete(k);
      return undefined;
    }
    session.user = user;
    session.checkedAt = this.options.now();
    return user;
  }

  /** Ends a session (logout). */
  close(id: string): void {
    this.sessions.delete(key(id));
  }

  get size(): number {
    return this.sessions.size;
  }
}
