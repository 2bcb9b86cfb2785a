import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { detectGateway, healthPath, startGatewayKernel } from './gateway.ts';
import { makeJupyterSettings } from './settings.ts';

/** A small HTTP server answering each path with a status and a JSON body, recording what was asked. */
async function serve(routes: Record<string, { status: number; body: unknown }>): Promise<{ url: string; asked: string[]; bodies: unknown[] }> {
  const asked: string[] = [];
  const bodies: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      asked.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`.trim());
      if (chunks.length > 0) bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      // The library adds a cache-busting query to its requests: routes go by path.
      const route = routes[new URL(req.url ?? '/', 'http://x').pathname] ?? { status: 404, body: { message: 'Not Found' } };
      res.writeHead(route.status, { 'content-type': 'application/json' }).end(JSON.stringify(route.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/`, asked, bodies };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe('detectGateway', () => {
  it('is told by /api saying gateway_version (Enterprise Gateway), and asks nothing more', async () => {
    const eg = await serve({ '/api': { status: 200, body: { version: '6.5.4', gateway_version: '3.2.3' } } });
    expect(await detectGateway({ baseUrl: eg.url, token: 't' })).toBe(true);
    expect(eg.asked).toEqual(['GET /api token t']);
  });

  it('takes a server that has /api but no /api/sessions for a gateway, and one with sessions for a Jupyter Server', async () => {
    const kernelsOnly = await serve({ '/api': { status: 200, body: { version: '1.23.3' } } });
    expect(await detectGateway({ baseUrl: kernelsOnly.url, token: '' })).toBe(true);
    const jupyter = await serve({ '/api': { status: 200, body: { version: '1.23.3' } }, '/api/sessions': { status: 200, body: [] } });
    expect(await detectGateway({ baseUrl: jupyter.url, token: '' })).toBe(false);
    expect(jupyter.asked).toEqual(['GET /api', 'GET /api/sessions']);
  });

  it('cannot tell when the server does not answer', async () => {
    const broken = await serve({ '/api': { status: 500, body: {} } });
    expect(await detectGateway({ baseUrl: broken.url, token: '' })).toBeUndefined();
    expect(await detectGateway({ baseUrl: 'http://127.0.0.1:1/', token: '' })).toBeUndefined();
  });
});

describe('startGatewayKernel', () => {
  it('posts the spec and the launch timeout in seconds, and returns the kernel', async () => {
    const eg = await serve({ '/api/kernels': { status: 201, body: { id: 'k1', name: 'python_kubernetes' } } });
    const model = await startGatewayKernel('python_kubernetes', makeJupyterSettings({ baseUrl: eg.url, token: 't' }), 150_500);
    expect(model).toMatchObject({ id: 'k1', name: 'python_kubernetes' });
    expect(eg.bodies).toEqual([{ name: 'python_kubernetes', env: { KERNEL_LAUNCH_TIMEOUT: '151' } }]);
  });

  it("fails with the gateway's own words", async () => {
    const full = await serve({ '/api/kernels': { status: 403, body: { reason: 'Forbidden', message: 'Resource Limit' } } });
    await expect(startGatewayKernel(undefined, makeJupyterSettings({ baseUrl: full.url, token: '' }), 1_000)).rejects.toThrow(
      `The gateway at ${full.url} could not start a kernel: Resource Limit`,
    );
  });

  it('watches a gateway through /api, a Jupyter Server through /api/status', () => {
    expect([healthPath(true), healthPath(false)]).toEqual(['api', 'api/status']);
  });
});
