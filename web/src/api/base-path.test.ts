import { afterEach, describe, expect, it } from 'vitest';
import { notebookHref, parseRoute } from '../router/paths.ts';
import { appPath, appUrl, readPageSettings, setPageSettings } from './base-path.ts';

const page = (meta: Record<string, string>) => ({
  querySelector: (selector: string) => {
    const name = /name="([^"]+)"/.exec(selector)?.[1] ?? '';
    return name in meta ? { getAttribute: () => meta[name] ?? null } : null;
  },
});

afterEach(() => setPageSettings({ base: '/', login: 'token' }));

describe('the page’s base path', () => {
  it('reads the base and the login from the page, defaulting to / and the token', () => {
    expect(readPageSettings(undefined)).toEqual({ base: '/', login: 'token' });
    expect(readPageSettings(page({ 'cellmate-base': '/user/alice/', 'cellmate-login': 'hub' }))).toEqual({ base: '/user/alice/', login: 'hub' });
    expect(readPageSettings(page({ 'cellmate-base': 'https://elsewhere/' }))).toEqual({ base: '/', login: 'token' });
  });

  it('makes every URL under the base, and reads routes without it', () => {
    setPageSettings({ base: '/user/alice/', login: 'hub' });
    expect(appUrl('/api/notebooks')).toBe('/user/alice/api/notebooks');
    expect(appUrl('/')).toBe('/user/alice/');
    expect(notebookHref('sub dir/a.ipynb')).toBe('/user/alice/notebooks/sub%20dir/a.ipynb');
    expect(parseRoute(appPath(notebookHref('sub dir/a.ipynb')))).toEqual({ name: 'notebook', path: 'sub dir/a.ipynb' });
    expect(parseRoute(appPath('/user/alice/'))).toEqual({ name: 'list' });
    expect(parseRoute(appPath('/user/alice'))).toEqual({ name: 'list' });
    expect(parseRoute(appPath('/user/bob/notebooks/a.ipynb'))).toEqual({ name: 'not_found', pathname: '/user/bob/notebooks/a.ipynb' });
  });
});
