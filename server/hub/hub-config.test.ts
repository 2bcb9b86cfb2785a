import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { hubSettingsFromEnv } from './hub-config.ts';

/** What jupyterhub 3.0's spawner sets for alice's default server. */
const SPAWNER_ENV = {
  JUPYTERHUB_API_TOKEN: 'server-secret',
  JPY_API_TOKEN: 'server-secret',
  JUPYTERHUB_CLIENT_ID: 'jupyterhub-user-alice',
  JUPYTERHUB_HOST: '',
  JUPYTERHUB_OAUTH_CALLBACK_URL: '/user/alice/oauth_callback',
  JUPYTERHUB_OAUTH_SCOPES: '["access:servers!server=alice/", "access:servers!user=alice"]',
  JUPYTERHUB_OAUTH_ACCESS_SCOPES: '["access:servers!server=alice/", "access:servers!user=alice"]',
  JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES: '[]',
  JUPYTERHUB_USER: 'alice',
  JUPYTERHUB_SERVER_NAME: '',
  JUPYTERHUB_API_URL: 'http://127.0.0.1:8081/hub/api',
  JUPYTERHUB_ACTIVITY_URL: 'http://127.0.0.1:8081/hub/api/users/alice/activity',
  JUPYTERHUB_BASE_URL: '/',
  JUPYTERHUB_SERVICE_PREFIX: '/user/alice/',
  JUPYTERHUB_SERVICE_URL: 'http://127.0.0.1:45321/user/alice/',
};

describe('the hub’s environment', () => {
  it('is no hub when no hub variable is set', () => {
    expect(hubSettingsFromEnv({ PATH: '/usr/bin' })).toBeUndefined();
    expect(loadConfig({}).hub).toBeUndefined();
    expect(loadConfig({}).basePath).toBe('/');
  });

  it('reads what a spawner sets', () => {
    expect(hubSettingsFromEnv(SPAWNER_ENV)).toEqual({
      prefix: '/user/alice/',
      listen: { host: '127.0.0.1', port: 45321 },
      apiUrl: 'http://127.0.0.1:8081/hub/api',
      apiToken: 'server-secret',
      clientId: 'jupyterhub-user-alice',
      callbackUrl: '/user/alice/oauth_callback',
      authorizeUrl: '/hub/api/oauth2/authorize',
      accessScopes: ['access:servers!server=alice/', 'access:servers!user=alice'],
      activityUrl: 'http://127.0.0.1:8081/hub/api/users/alice/activity',
      activityIntervalSeconds: 300,
      user: 'alice',
      serverName: '',
      publicHost: '',
    });
  });

  it('takes the deprecated scope name, a hub under a base URL with a public host, and the owner’s scope by default', () => {
    const { JUPYTERHUB_OAUTH_ACCESS_SCOPES: _new, JUPYTERHUB_OAUTH_SCOPES: _old, ...withoutScopes } = SPAWNER_ENV;
    expect(hubSettingsFromEnv({ ...withoutScopes, JUPYTERHUB_OAUTH_SCOPES: '["access:servers!user=alice"]' })?.accessScopes).toEqual(['access:servers!user=alice']);
    expect(hubSettingsFromEnv({ ...withoutScopes, JUPYTERHUB_SERVER_NAME: 'lab' })?.accessScopes).toEqual(['access:servers!server=alice/lab']);
    const behindBase = hubSettingsFromEnv({ ...SPAWNER_ENV, JUPYTERHUB_BASE_URL: '/jh/', JUPYTERHUB_HOST: 'https://hub.example.org' });
    expect(behindBase?.authorizeUrl).toBe('https://hub.example.org/jh/hub/api/oauth2/authorize');
    expect(loadConfig({ ...SPAWNER_ENV, JUPYTERHUB_HOST: 'https://hub.example.org' }).allowedHosts).toEqual(['hub.example.org']);
  });

  it('refuses a partial or broken hub environment instead of starting without the hub’s login', () => {
    expect(() => hubSettingsFromEnv({ JUPYTERHUB_SERVICE_PREFIX: '/user/alice/' })).toThrow(/JUPYTERHUB_API_TOKEN/);
    expect(() => hubSettingsFromEnv({ ...SPAWNER_ENV, JUPYTERHUB_OAUTH_ACCESS_SCOPES: 'access:servers' })).toThrow(/JSON list/);
    expect(() => hubSettingsFromEnv({ ...SPAWNER_ENV, JUPYTERHUB_SERVICE_PREFIX: 'user/alice' })).toThrow(/JUPYTERHUB_SERVICE_PREFIX/);
  });

  it('makes the configuration: where the spawner says, under its prefix', () => {
    const config = loadConfig(SPAWNER_ENV);
    expect(config).toMatchObject({ host: '127.0.0.1', port: 45321, basePath: '/user/alice/', hub: { user: 'alice' } });
    expect(loadConfig({ ...SPAWNER_ENV, CELLMATE_PORT: '9000' }).port).toBe(9000);
    expect(() => loadConfig({ ...SPAWNER_ENV, CELLMATE_BASE_PATH: '/elsewhere/' })).toThrow(/differs from the hub/);
    expect(loadConfig({ CELLMATE_BASE_PATH: 'team/cellmate' }).basePath).toBe('/team/cellmate/');
    expect(() => loadConfig({ CELLMATE_BASE_PATH: '/a/../b' })).toThrow(/CELLMATE_BASE_PATH/);
  });
});
