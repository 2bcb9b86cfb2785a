/**
 * DNS rebinding: a request naming another host in `Host` is refused before anything answers it; the names this
 * server has (addresses, `localhost`, `CELLMATE_HOST`, `CELLMATE_ALLOWED_HOSTS`) pass in any case.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from '../sessions/session-manager.ts';
import { Workspace } from '../store/storage.ts';
import { createApp } from './app.ts';
import { isKnownHost } from './host-check.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

const token = 'host-token';

let root: string;
let sessions: SessionManager;
let workspace: Workspace;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-hosts-'));
  workspace = new Workspace(root);
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10, watchFiles: false });
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

const statusFor = async (app: ReturnType<typeof createApp>, host: string, path = '/api/notebooks') =>
  (await app.request(path, { headers: { host, authorization: `Bearer ${token}` } })).status;

describe('Host', () => {
  it('refuses a name that is not this server, on the API, health and the page alike, saying what to do', async () => {
    const app = createApp({ token, sessions, workspace, hosts: { bindHost: '127.0.0.1' } });
    for (const path of ['/api/notebooks', '/api/health', '/']) expect(await statusFor(app, 'evil.example:8765', path)).toBe(403);
    const res = await app.request('/api/notebooks', { headers: { host: 'rebound.evil.example:8765', authorization: `Bearer ${token}` } });
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^Host "rebound.evil.example:8765" is not this server's name: .*CELLMATE_ALLOWED_HOSTS$/) });
  });

  it('takes addresses and localhost in any case, with any port', async () => {
    const app = createApp({ token, sessions, workspace, hosts: { bindHost: '127.0.0.1' } });
    for (const host of ['127.0.0.1:8765', 'LOCALHOST:8765', 'localhost', '[::1]:8765', '192.168.1.20:8765', '[fe80::1]']) {
      expect(await statusFor(app, host), host).toBe(200);
    }
  });

  it('takes the name it listens on and the names of CELLMATE_ALLOWED_HOSTS, without case; * takes any', async () => {
    const named = createApp({ token, sessions, workspace, hosts: { bindHost: 'box.lan', allowedHosts: ['Notebooks.Example.com', 'other.test:9000'] } });
    for (const host of ['box.lan:8765', 'BOX.LAN', 'notebooks.example.COM:443', 'other.test']) expect(await statusFor(named, host), host).toBe(200);
    expect(await statusFor(named, 'example.com')).toBe(403);
    const any = createApp({ token, sessions, workspace, hosts: { bindHost: '127.0.0.1', allowedHosts: ['*'] } });
    expect(await statusFor(any, 'whatever.example')).toBe(200);
  });

  it('knows no host that is not one', () => {
    const policy = { bindHost: '0.0.0.0' };
    expect(isKnownHost('0.0.0.0:8765', policy)).toBe(true);
    expect(isKnownHost('localhost.evil.example', policy)).toBe(false);
    expect(isKnownHost('127.0.0.1.nip.io', policy)).toBe(false);
  });
});
