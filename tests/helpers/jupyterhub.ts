/**
 * A real JupyterHub (Debian's `jupyterhub`, with its configurable-http-proxy) for tests: its own ports and
 * folder, the dummy authenticator with one password, and the simple local-process spawner running Cellmate's
 * start script as each user's server (home, and so workspace, per user under the folder). A service token with
 * admin scopes lets the test start and stop servers and read users through the hub's REST API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../server/kernels/jupyter-process.ts';
import { repoRoot } from '../../server/server.ts';

export interface TestHub {
  /** The proxy's public URL, e.g. `http://127.0.0.1:41234` (the hub is at `/hub/`, users at `/user/<name>/`). */
  url: string;
  password: string;
  folder: string;
  /** A user's home folder; their Cellmate's workspace is `workspace/` in it. */
  home(user: string): string;
  /** The hub's REST API as the test service (admin over users and servers). */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** The hub's log so far (its own lines and the user servers'). */
  log(): string;
  stop(): Promise<void>;
}

const py = (value: unknown) => JSON.stringify(value);

export async function startTestHub(options: { environment?: Record<string, string> } = {}): Promise<TestHub> {
  const folder = await mkdtemp(join(tmpdir(), 'cellmate-hub-'));
  const [proxyPort, proxyApiPort, hubPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const password = randomBytes(9).toString('base64url');
  const serviceToken = randomBytes(24).toString('hex');
  const config = [
    'c = get_config()',
    `c.JupyterHub.bind_url = ${py(`http://127.0.0.1:${proxyPort}`)}`,
    `c.JupyterHub.hub_bind_url = ${py(`http://127.0.0.1:${hubPort}`)}`,
    `c.ConfigurableHTTPProxy.api_url = ${py(`http://127.0.0.1:${proxyApiPort}`)}`,
    `c.ConfigurableHTTPProxy.pid_file = ${py(join(folder, 'proxy.pid'))}`,
    `c.JupyterHub.db_url = ${py(`sqlite:///${join(folder, 'hub.sqlite')}`)}`,
    `c.JupyterHub.cookie_secret_file = ${py(join(folder, 'cookie_secret'))}`,
    "c.JupyterHub.authenticator_class = 'dummy'",
    `c.DummyAuthenticator.password = ${py(password)}`,
    "c.JupyterHub.spawner_class = 'simple'",
    `c.SimpleLocalProcessSpawner.home_dir_template = ${py(join(folder, 'home', '{username}'))}`,
    // What README's "Under JupyterHub" tells a hub's admin to write.
    `c.Spawner.cmd = ${py([process.execPath, join(repoRoot, 'scripts', 'start.mjs')])}`,
    `c.Spawner.environment = ${py(options.environment ?? {})}`,
    'c.Spawner.http_timeout = 90',
    'c.Spawner.start_timeout = 90',
    `c.JupyterHub.services = [{'name': 'cellmate-test', 'api_token': ${py(serviceToken)}}]`,
    "c.JupyterHub.load_roles = [{'name': 'cellmate-test', 'scopes': ['admin:users', 'admin:servers'], 'services': ['cellmate-test']}]",
  ].join('\n');
  await writeFile(join(folder, 'jupyterhub_config.py'), config);

  let output = '';
  const hub: ChildProcess = spawn('/usr/bin/jupyterhub', ['-f', join(folder, 'jupyterhub_config.py')], {
    cwd: folder,
    // Debian's configurable-http-proxy finds its modules there; its `node` is the one on PATH.
    env: { ...process.env, NODE_PATH: '/usr/share/nodejs', PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  hub.stdout?.on('data', append);
  hub.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => hub.once('exit', () => resolve()));

  const url = `http://127.0.0.1:${proxyPort}`;
  const api = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `token ${serviceToken}`);
    return fetch(`${url}/hub/api${path}`, { ...init, headers });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (hub.exitCode !== null) throw new Error(`jupyterhub exited (${hub.exitCode}):\n${output}`);
    const ready = await api('/').then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`jupyterhub did not answer within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    password,
    folder,
    home: (user) => join(folder, 'home', user),
    api,
    log: () => output,
    stop: async () => {
      // SIGTERM: the hub stops the user servers it started (as their spawner would) and its proxy.
      if (hub.exitCode === null) hub.kill('SIGTERM');
      const killer = setTimeout(() => hub.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
      await rm(folder, { recursive: true, force: true });
    },
  };
}
