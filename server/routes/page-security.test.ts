import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEIGHT_REPORTER } from '../protocol/frame.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { Workspace } from '../store/storage.ts';
import { createApp } from './app.ts';
import { PAGE_CSP } from './page-security.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

let root: string;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-page-'));
  const webDist = join(root, 'dist');
  await mkdir(join(webDist, 'assets'), { recursive: true });
  await mkdir(join(root, 'ws'));
  await writeFile(join(webDist, 'index.html'), '<!doctype html><title>Cellmate</title>');
  await writeFile(join(webDist, 'assets', 'app.js'), 'export {};');
  const workspace = new Workspace(join(root, 'ws'));
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10 });
  app = createApp({ token: 't', sessions, workspace, webDist });
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

describe("the page's security headers", () => {
  it('are on the page, its deep links and its assets', async () => {
    for (const path of ['/', '/notebooks/x.ipynb', '/assets/app.js']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toBe(PAGE_CSP);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(res.headers.get('permissions-policy'), path).toBe('camera=(), microphone=(), geolocation=()');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('allow no inline script but the frame height reporter, and no eval', () => {
    const hash = createHash('sha256').update(HEIGHT_REPORTER).digest('base64');
    const scriptSrc = PAGE_CSP.split('; ').find((directive) => directive.startsWith('script-src '));
    expect(scriptSrc).toBe(`script-src 'self' 'sha256-${hash}'`);
    expect(PAGE_CSP).not.toMatch(/unsafe-eval|\*/);
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
  });

  it('are not added to API responses, which keep their own', async () => {
    const res = await app.request('/api/health');
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
