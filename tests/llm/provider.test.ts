/** Provider configuration, model listing and local-server detection, against fake servers on real ports. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  configForDetected,
  createProviderClient,
  detectLocalServers,
  listModels,
  providerConfigFromEnv,
  providerStatus,
  resolveModel,
  supportsVision,
} from '../../server/agent/provider.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';

const servers: FakeOpenAIServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function fake(options: Parameters<typeof startFakeOpenAI>[0] = {}) {
  const server = await startFakeOpenAI(options);
  servers.push(server);
  return server;
}

/** A port nothing listens on: bind one, then free it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('configuration from the environment', () => {
  it('has defaults, and is not configured without a key or a base URL', () => {
    const config = providerConfigFromEnv({});
    expect(config).toEqual({ apiKey: null, baseURL: null, model: null, maxRetries: 3, timeoutMs: 60_000, vision: null, problems: [] });
    expect(createProviderClient(config)).toBeNull();
  });

  it('reads every variable, and reports bad values without echoing the key', () => {
    const config = providerConfigFromEnv({
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/',
      CELLMATE_MODEL: 'llama3.1',
      CELLMATE_LLM_MAX_RETRIES: 'lots',
      CELLMATE_LLM_TIMEOUT_MS: '5000',
      CELLMATE_VISION: '1',
    });
    expect(config).toMatchObject({ baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1', maxRetries: 3, timeoutMs: 5000, vision: true });
    expect(config.problems).toEqual([expect.stringContaining('CELLMATE_LLM_MAX_RETRIES is not valid ("lots")')]);
    const badKey = providerConfigFromEnv({ OPENAI_API_KEY: '   ', OPENAI_BASE_URL: 'ftp://x' });
    expect(badKey.apiKey).toBeNull();
    expect(badKey.problems.join()).toContain('OPENAI_BASE_URL');
  });

  it('needs no key for a local server', async () => {
    const server = await fake({ models: ['qwen2.5', 'llama3.1'] });
    const config = providerConfigFromEnv({ OPENAI_BASE_URL: server.baseURL });
    const client = createProviderClient(config)!;
    expect(await listModels(client)).toEqual(['llama3.1', 'qwen2.5']);
    expect(await resolveModel(client, config)).toBe('llama3.1');
    expect(await resolveModel(client, { ...config, model: 'qwen2.5' })).toBe('qwen2.5');
  });

  it('takes the retry count from the environment (0: a 429 is not retried)', async () => {
    const server = await fake({ script: [reply.rateLimited(0), reply.text('late')] });
    const client = createProviderClient(providerConfigFromEnv({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: server.baseURL, CELLMATE_LLM_MAX_RETRIES: '0' }))!;
    await expect(client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 429 });
    expect(server.chatRequests).toHaveLength(1);
  });

  it('guesses vision from the model name unless told', () => {
    expect(supportsVision('gpt-4o-mini', { vision: null })).toBe(true);
    expect(supportsVision('llava:13b', { vision: null })).toBe(true);
    expect(supportsVision('llama3.1:8b', { vision: null })).toBe(false);
    expect(supportsVision('llama3.1:8b', { vision: true })).toBe(true);
  });
});

describe('local servers and status', () => {
  it('finds a local OpenAI-compatible server and ignores closed ports', async () => {
    const server = await fake({ models: ['llama3.1'] });
    const candidates = [
      { name: 'Ollama', baseURL: server.baseURL },
      { name: 'LM Studio', baseURL: `http://127.0.0.1:${await closedPort()}/v1` },
    ];
    expect(await detectLocalServers({ candidates, timeoutMs: 1000 })).toEqual([{ name: 'Ollama', base_url: server.baseURL, models: ['llama3.1'] }]);

    const status = await providerStatus(providerConfigFromEnv({}), { detect: true, candidates, timeoutMs: 1000 });
    expect(status).toMatchObject({ configured: false, base_url: null, model: null, detected: [{ name: 'Ollama' }] });
    expect(status.help).toContain(`Found Ollama at ${server.baseURL} with llama3.1`);
    expect(status.help).toContain(`OPENAI_BASE_URL=${server.baseURL} CELLMATE_MODEL=llama3.1`);
    const adopted = configForDetected(status.detected![0]!, providerConfigFromEnv({}));
    expect(adopted).toMatchObject({ baseURL: server.baseURL, model: 'llama3.1', apiKey: null });
  });

  it('explains how to configure when nothing is found', async () => {
    const candidates = [{ name: 'Ollama', baseURL: `http://127.0.0.1:${await closedPort()}/v1` }];
    const status = await providerStatus(providerConfigFromEnv({}), { detect: true, candidates, timeoutMs: 500 });
    expect(status.detected).toEqual([]);
    expect(status.help).toMatch(/no local server was found; the notebook works fully without one\. Set OPENAI_API_KEY/);
  });

  it('shows a configured provider and never its key', async () => {
    const status = await providerStatus(providerConfigFromEnv({ OPENAI_API_KEY: 'sk-secret-123456789', CELLMATE_VISION: 'no' }));
    expect(status).toEqual({
      configured: true,
      base_url: 'https://api.openai.com/v1',
      model: 'gpt-4o-mini',
      has_api_key: true,
      vision: false,
      help: 'Using gpt-4o-mini at https://api.openai.com/v1. Change it with CELLMATE_MODEL and OPENAI_BASE_URL.',
    });
    expect(JSON.stringify(status)).not.toContain('secret');
  });
});
