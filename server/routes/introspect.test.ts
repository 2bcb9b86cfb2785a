import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionSchema, inspectionSchema } from '../protocol/index.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { Workspace } from '../store/storage.ts';
import { createApp } from './app.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

const token = 'test-token';
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

let root: string;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-introspect-'));
  const workspace = new Workspace(root);
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10 });
  app = createApp({ token, sessions, workspace });
  await workspace.createNotebook('n.ipynb');
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

const post = (route: string, body: unknown) => app.request(`/api/notebooks/n.ipynb/${route}`, { method: 'POST', headers, body: JSON.stringify(body) });

describe('complete and inspect', () => {
  it('answer empty, saying so, when no kernel runs, and start none', async () => {
    const completion = await post('complete', { code: '😀; import o', cursor_pos: 11 });
    expect(completion.status).toBe(200);
    expect(completionSchema.parse(await completion.json())).toEqual({ status: 'no_kernel', matches: [], cursor_start: 11, cursor_end: 11, metadata: {} });
    const inspection = await post('inspect', { code: 'len(', cursor_pos: 3 });
    expect(inspectionSchema.parse(await inspection.json())).toEqual({ status: 'no_kernel', found: false, data: {}, metadata: {} });
    // noKernels fails any start, which would show as a dead kernel.
    expect((await sessions.open('n.ipynb')).kernelInfo.state).toBe('not_started');
  });

  it('refuse a cursor past the end, counted in code points', async () => {
    // Two UTF-16 units, one code point.
    const past = await post('complete', { code: '😀', cursor_pos: 2 });
    expect(past.status).toBe(400);
    expect(await past.json()).toEqual({ error: expect.stringMatching(/past the end.*1 code point/) });
    expect((await post('complete', { code: '😀', cursor_pos: 1 })).status).toBe(200);
  });

  it('refuse malformed bodies', async () => {
    expect((await post('complete', { code: 'x' })).status).toBe(400);
    expect((await post('inspect', { code: 'x', cursor_pos: -1 })).status).toBe(400);
    expect((await post('inspect', { code: 'x', cursor_pos: 1, detail_level: 2 })).status).toBe(400);
    expect((await post('complete', { code: 'x', cursor_pos: 1, extra: true })).status).toBe(400);
  });
});
