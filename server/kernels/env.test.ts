import { describe, expect, it } from 'vitest';
import { isSecretEnvName, scrubEnv } from './env.ts';

describe('scrubEnv', () => {
  it('drops credentials and Cellmate configuration, keeps the ordinary environment', () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      MPLBACKEND: 'agg',
      PYTHONPATH: '/opt/lib',
      KEYBOARD_LAYOUT: 'us',
      OPENAI_API_KEY: 'sk-1',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      CELLMATE_TOKEN: 't',
      CELLMATE_MODEL: 'm',
      JUPYTER_TOKEN: 'j',
      GITHUB_TOKEN: 'g',
      AWS_SECRET_ACCESS_KEY: 'a',
      AWS_ACCESS_KEY_ID: 'a',
      ANTHROPIC_API_KEY: 'a',
      DB_PASSWORD: 'p',
      CLIENT_SECRET: 's',
      SSH_PRIVATE_KEY: 'k',
      GOOGLE_APPLICATION_CREDENTIALS: '/k.json',
      JUPYTERHUB_API_TOKEN: 'h',
      JPY_API_TOKEN: 'h',
      JUPYTERHUB_CLIENT_ID: 'jupyterhub-user-alice',
      JUPYTERHUB_API_URL: 'http://127.0.0.1:8081/hub/api',
      JUPYTERHUB_ACTIVITY_URL: 'http://127.0.0.1:8081/hub/api/users/alice/activity',
      JUPYTERHUB_SERVICE_PREFIX: '/user/alice/',
      UNSET: undefined,
    };
    expect(scrubEnv(env)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      MPLBACKEND: 'agg',
      PYTHONPATH: '/opt/lib',
      KEYBOARD_LAYOUT: 'us',
    });
  });

  it('matches names case-insensitively', () => {
    expect(isSecretEnvName('my_token')).toBe(true);
    expect(isSecretEnvName('Hf_Api_Key')).toBe(true);
    expect(isSecretEnvName('TERM')).toBe(false);
  });
});
