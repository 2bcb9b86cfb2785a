import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { providerConfigFromEnv } from './provider.ts';
import { ProviderSettings } from './provider-settings.ts';

const KEY = 'sk-settings-test-0123456789';
let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cellmate-provider-settings-'));
  file = join(dir, '.cellmate', 'settings.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const settings = (env: Record<string, string>) => new ProviderSettings({ base: providerConfigFromEnv(env), file, localServers: [] });

describe('ProviderSettings', () => {
  it('sends the key only to the endpoint it was configured for', async () => {
    const s = settings({ OPENAI_API_KEY: KEY, CELLMATE_MODEL: 'gpt-4o-mini' });
    expect(s.config).toMatchObject({ apiKey: KEY, baseURL: null, model: 'gpt-4o-mini' });
    await s.update({ base_url: 'http://127.0.0.1:11434/v1' });
    // Another endpoint: no key, and the first model it lists (the OpenAI model is unlikely to exist there).
    expect(s.config).toMatchObject({ apiKey: null, baseURL: 'http://127.0.0.1:11434/v1', model: null });
    await s.update({ base_url: 'https://api.openai.com/v1/' });
    expect(s.config).toMatchObject({ apiKey: KEY, model: null });
    await s.update({ base_url: null, model: null });
    expect(s.config).toMatchObject({ apiKey: KEY, baseURL: null, model: 'gpt-4o-mini' });
  });

  it('keeps the choice in the settings file without the key, next to other settings, and reads it back', async () => {
    await mkdir(join(dir, '.cellmate'));
    await writeFile(file, JSON.stringify({ theme: 'dark' }));
    const s = settings({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'http://10.0.0.5:8000/v1' });
    await s.update({ model: 'qwen2.5' });
    const saved = await readFile(file, 'utf8');
    expect(saved).not.toContain(KEY);
    expect(JSON.parse(saved)).toEqual({ theme: 'dark', agent: { model: 'qwen2.5' } });
    const again = settings({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'http://10.0.0.5:8000/v1' });
    await again.load();
    expect(again.config).toMatchObject({ apiKey: KEY, model: 'qwen2.5' });
  });

  it('reports a settings file it can’t use, and goes on with the environment', async () => {
    await mkdir(join(dir, '.cellmate'));
    await writeFile(file, '{ not json');
    const s = settings({ CELLMATE_MODEL: 'm' });
    await s.load();
    expect(s.config.model).toBe('m');
    expect((await s.status()).problems).toEqual([expect.stringMatching(/settings\.json is not valid settings JSON and was ignored/)]);
  });

  it('answers not_configured with the help when nothing is configured', async () => {
    const result = await settings({}).prepare();
    expect(result).toEqual({ code: 'not_configured', message: expect.stringMatching(/^No model is configured.*OPENAI_API_KEY/) });
  });
});
