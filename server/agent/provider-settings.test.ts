import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
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

/** `server` listening on a free port; `close` also drops the connections it still has. */
async function serverOn(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describe('an endpoint chosen at runtime (PUT /api/agent/config)', () => {
  it('fails to list models in the same words whether nothing listens there, a web page or another service answers, or nothing answers', async () => {
    const servers = await Promise.all([
      serverOn(createHttpServer((_request, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'))),
      serverOn(createHttpServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>a router</html>'))),
      serverOn(createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n'))),
      serverOn(createTcpServer(() => {})),
    ]);
    const closed = await serverOn(createTcpServer());
    await closed.close();
    try {
      const words: string[] = [];
      for (const url of [closed.url, ...servers.map((server) => server.url)]) {
        const s = settings({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', CELLMATE_MODEL: 'm', CELLMATE_LLM_MAX_RETRIES: '0', CELLMATE_LLM_TIMEOUT_MS: '1000' });
        await s.update({ base_url: url });
        const listing = await s.models().then(
          () => 'listed',
          (error: Error & { status?: number }) => `${error.status} ${error.message}`,
        );
        const prepared = await s.prepare();
        words.push(listing.replace(url, '<url>'), JSON.stringify(prepared).replace(url, '<url>'));
      }
      expect(new Set(words)).toEqual(
        new Set([
          '502 Could not reach <url> as an OpenAI-compatible model server. Check that it runs there and that the base URL is right (it usually ends in /v1).',
          JSON.stringify({ code: 'connection', message: 'Could not reach <url> as an OpenAI-compatible model server. Check that it runs there and that the base URL is right (it usually ends in /v1).' }),
        ]),
      );
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  });

  it('keeps the detailed words for the endpoint the environment configured', async () => {
    const server = await serverOn(createHttpServer((_request, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>')));
    try {
      const s = settings({ OPENAI_BASE_URL: server.url, CELLMATE_LLM_MAX_RETRIES: '0' });
      await expect(s.models()).rejects.toThrow(/was not found at .* \(404\)/);
    } finally {
      await server.close();
    }
  });
});
