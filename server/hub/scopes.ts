/**
 * Whether a hub user's scopes let them into this server. The hub hands the server the scopes that grant access
 * (`access:servers!server=alice/` and the like) and reports the scopes a user's token holds; one held scope must
 * cover one required scope. A scope covers another when it is the same scope with no filter, the same filter,
 * or a wider one: `access:servers!user=alice` covers `access:servers!server=alice/<any name>`. Like jupyterhub's
 * own check, a group filter is not expanded to the group's members (a held `!group=` scope covers nothing here).
 */

interface Scope {
  name: string;
  /** `user`, `server`, `service`, `group`… and its value; none for an unfiltered scope. */
  filter?: { kind: string; value: string };
}

function parseScope(text: string): Scope {
  const bang = text.indexOf('!');
  if (bang < 0) return { name: text };
  const [kind, ...rest] = text.slice(bang + 1).split('=');
  return { name: text.slice(0, bang), filter: { kind: kind ?? '', value: rest.join('=') } };
}

/** The user a `server=<user>/<name>` filter names. */
function serverOwner(value: string): string {
  const slash = value.indexOf('/');
  return slash < 0 ? value : value.slice(0, slash);
}

/** Whether holding `held` grants `required`. */
export function scopeCovers(held: string, required: string): boolean {
  const h = parseScope(held);
  const r = parseScope(required);
  if (h.name !== r.name) return false;
  if (!h.filter) return true;
  if (!r.filter) return false;
  if (h.filter.kind === r.filter.kind) return h.filter.value === r.filter.value;
  // A user's scope covers each of their servers.
  return h.filter.kind === 'user' && r.filter.kind === 'server' && serverOwner(r.filter.value) === h.filter.value;
}

/**
 * Whether any held scope covers any required one.
 *
 * @example
 *   allowsAccess(['access:servers!server=alice/'], ['access:servers!user=alice', 'read:users!user=alice']) // → true
 *   allowsAccess(['access:servers!server=alice/'], ['access:servers!user=bob']) // → false
 */
export function allowsAccess(required: readonly string[], held: readonly string[]): boolean {
  return required.some((need) => held.some((have) => scopeCovers(have, need)));
}
