import { describe, expect, it } from 'vitest';
import { allowsAccess, scopeCovers } from './scopes.ts';

describe('hub scopes', () => {
  it('covers a scope by itself, unfiltered, or by the owner of a server', () => {
    expect(scopeCovers('access:servers!server=alice/', 'access:servers!server=alice/')).toBe(true);
    expect(scopeCovers('access:servers', 'access:servers!server=alice/')).toBe(true);
    expect(scopeCovers('access:servers!user=alice', 'access:servers!server=alice/')).toBe(true);
    expect(scopeCovers('access:servers!user=alice', 'access:servers!server=alice/lab')).toBe(true);
    expect(scopeCovers('access:servers!user=alice', 'access:servers!user=alice')).toBe(true);
  });

  it('covers nothing of another user, another server, another scope, or through a group', () => {
    expect(scopeCovers('access:servers!server=bob/', 'access:servers!server=alice/')).toBe(false);
    expect(scopeCovers('access:servers!server=alice/lab', 'access:servers!server=alice/')).toBe(false);
    expect(scopeCovers('access:servers!user=alicia', 'access:servers!server=alice/')).toBe(false);
    expect(scopeCovers('access:servers!server=alice/', 'access:servers!user=alice')).toBe(false);
    expect(scopeCovers('read:servers!user=alice', 'access:servers!server=alice/')).toBe(false);
    expect(scopeCovers('access:services', 'access:servers!server=alice/')).toBe(false);
    expect(scopeCovers('access:servers!group=class', 'access:servers!server=alice/')).toBe(false);
  });

  it('lets in a user holding any of the required scopes', () => {
    const required = ['access:servers!server=alice/', 'access:servers!user=alice'];
    expect(allowsAccess(required, ['identify', 'access:servers!server=alice/'])).toBe(true);
    expect(allowsAccess(required, ['access:servers'])).toBe(true);
    expect(allowsAccess(required, ['identify', 'access:servers!server=bob/', 'access:servers!user=bob'])).toBe(false);
    expect(allowsAccess(required, [])).toBe(false);
    expect(allowsAccess([], ['access:servers'])).toBe(false);
  });
});
