import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from '../sessions/session-manager.ts';
import { Workspace } from '../store/storage.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';
import { createApp, pageWithSettings } from './app.ts';
import { normalizeBasePath, underBasePath } from './base-path.ts';

const token = 't';
const BUILT_PAGE = '<!doctype html>\n<html>\n  <head>\n    <script type="module" crossorigin src="./assets/index-1.js"></script>\n    <link rel="stylesheet" crossorigin href="./assets/index-1.css">\n  </head>\n  <body></body>\n</html>\n';

let root: string;
let sessions: SessionManager;
let serve: (path: string, init?: RequestInit) => Promise<Response>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-base-'));
  await mkdir(join(root, 'ws'));
  await mkdir(join(root, 'dist', 'assets'), { recursive: true });
  await writeFile(join(root, 'dist', 'index.html'), BUILT_PAGE);
  await writeFile(join(root, 'dist', 'assets', 'index-1.js'), 'export {};\n');
  const workspace = new Workspace(join(root, 'ws'));
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10 });
  const app = createApp({ token, sessions, workspace, webDist: join(root, 'dist'), basePath: '/team/cellmate/' });
  const fetchUnder = underBasePath(app.fetch, '/team/cellmate/');
  serve = async (path, init) => fetchUnder(new Request(`http://127.0.0.1:8765${path}`, init));
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('normalizeBasePath', () => {
  it('adds the slashes, and refuses what a URL path would read otherwise', () => {
    expect(normalizeBasePath('')).toBe('/');
    expect(normalizeBasePath('/')).toBe('/');
    expect(normalizeBasePath('user/alice')).toBe('/user/alice/');
    expect(normalizeBasePath('/user/alice/')).toBe('/user/alice/');
    for (const bad of ['/a/../b', '/a//b', '/a b/', '/a?x', '/a#x', '/./']) expect(() => normalizeBasePath(bad)).toThrow(/not a URL path/);
  });
});

describe('serving under a base path', () => {
  it('serves the API under the base, with the base taken off, and nothing outside it', async () => {
    expect(await (await serve('/team/cellmate/api/health')).json()).toEqual({ status: 'ok' });
    for (const outside of ['/api/health', '/', '/notebooks/a.ipynb', '/team/api/health', '/team/cellmatex/api/health', '/assets/index-1.js']) {
      expect((await serve(outside)).status, outside).toBe(404);
    }
    expect((await serve('/team/cellmate/api/notebooks')).status).toBe(401);
    const created = await serve('/team/cellmate/api/notebooks', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ path: 'under.ipynb' }) });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ path: 'under.ipynb' });
  });

  it('sends the base without its slash to the base, keeping the query', async () => {
    const response = await serve('/team/cellmate?token=t');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/team/cellmate/?token=t');
  });

  it('serves the page at the base and at deep links, with the base in its links and a meta for the page, under its policy', async () => {
    for (const path of ['/team/cellmate/', '/team/cellmate/notebooks/sub/a.ipynb']) {
      const response = await serve(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await response.text();
      expect(html).toContain('<meta name="cellmate-base" content="/team/cellmate/" />');
      expect(html).toContain('<meta name="cellmate-login" content="token" />');
      expect(html).toContain('src="/team/cellmate/assets/index-1.js"');
      expect(html).toContain('href="/team/cellmate/assets/index-1.css"');
      expect(html).not.toContain('./assets/');
    }
    const script = await serve('/team/cellmate/assets/index-1.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toBe('export {};\n');
  });

  it('writes the base into the page as an attribute value, escaped', () => {
    expect(pageWithSettings(BUILT_PAGE, { base: '/', login: 'hub' })).toContain('src="/assets/index-1.js"');
    expect(pageWithSettings(BUILT_PAGE, { base: "/a&b$'/", login: 'hub' })).toContain('<meta name="cellmate-base" content="/a&amp;b$\'/" />');
  });
});
