/**
 * Names the notebooks and files APIs agree on: a name of more than 255 bytes, a path longer than the file system
 * takes, or a name with a control character is a 400 saying what is wrong (not "outside the workspace", not a
 * 404 for a route that didn't match), in both APIs and for every operation.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from '../sessions/session-manager.ts';
import { Workspace } from '../store/storage.ts';
import { createApp } from './app.ts';
import { noKernels } from '../../tests/helpers/no-kernels.ts';

const token = 'names-token';
const auth = { authorization: `Bearer ${token}` };
const json = { ...auth, 'content-type': 'application/json' };
const enc = encodeURIComponent;
const emptyNotebook = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });

let root: string;
let sessions: SessionManager;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-names-'));
  const workspace = new Workspace(root);
  sessions = new SessionManager({ workspace, kernels: noKernels, autosaveMs: 10, watchFiles: false });
  app = createApp({ token, sessions, workspace });
});

afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Every way a name reaches the server, each answer as `{ status, error }`. */
async function everyUse(name: string): Promise<{ status: number; error?: string }[]> {
  const requests: [string, RequestInit][] = [
    ['/api/notebooks', { method: 'POST', headers: json, body: JSON.stringify({ path: `${name}.ipynb` }) }],
    [`/api/notebooks/${enc(`${name}.ipynb`)}`, { method: 'PUT', headers: json, body: emptyNotebook }],
    [`/api/notebooks/${enc(`${name}.ipynb`)}`, { headers: auth }],
    [`/api/files/${enc(name)}`, { method: 'PUT', headers: auth, body: 'data' }],
    [`/api/files/${enc(name)}`, { headers: auth }],
    [`/api/files/${enc(name)}?kind=directory`, { method: 'POST', headers: auth }],
    [`/api/files/${enc(name)}`, { method: 'DELETE', headers: auth }],
    ['/api/files/rename', { method: 'POST', headers: json, body: JSON.stringify({ from: 'here.txt', to: name }) }],
  ];
  const answers = [];
  for (const [path, init] of requests) {
    const res = await app.request(path, init);
    answers.push({ status: res.status, error: ((await res.json()) as { error?: string }).error });
  }
  return answers;
}

describe('names', () => {
  it('refuses a name over 255 bytes as too long, everywhere', async () => {
    for (const name of ['x'.repeat(300), 'é'.repeat(128)]) {
      const answers = await everyUse(name);
      expect(new Set(answers.map(({ status }) => status))).toEqual(new Set([400]));
      for (const { error } of answers) expect(error).toMatch(/^Name too long: ".{40}…" is \d+ bytes; a file or folder name may have at most 255$/);
    }
    expect(await readdir(root)).toEqual([]);
  });

  it('takes a name of 255 bytes', async () => {
    const name = `${'n'.repeat(249)}.ipynb`;
    expect((await app.request('/api/notebooks', { method: 'POST', headers: json, body: JSON.stringify({ path: name }) })).status).toBe(201);
    expect((await app.request(`/api/files/${'f'.repeat(255)}`, { method: 'PUT', headers: auth, body: 'data' })).status).toBe(201);
    expect(await readdir(root)).toEqual(expect.arrayContaining([name, 'f'.repeat(255)]));
    await rm(join(root, name));
    await rm(join(root, 'f'.repeat(255)));
  });

  it('refuses a path longer than the file system takes, saying so', async () => {
    const deep = Array.from({ length: 20 }, () => 'd'.repeat(250)).join('/');
    const res = await app.request(`/api/files/${deep}`, { method: 'PUT', headers: auth, body: 'data' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^Path too long: "d+…" is more than the file system takes \(4095 bytes from the root\)$/) });
  });

  it('refuses control characters in names the same way in the notebooks and files APIs', async () => {
    await writeFile(join(root, 'here.txt'), 'here');
    for (const [name, code] of [['a\nb', '000A'], ['tab\there', '0009'], ['esc\x1b[31m', '001B'], ['del\x7f', '007F']] as const) {
      const answers = await everyUse(name);
      expect(answers, JSON.stringify(name)).toEqual(answers.map(() => ({ status: 400, error: expect.stringContaining(`Names can't contain control characters: `) })));
      for (const { error } of answers) expect(error).toMatch(new RegExp(`has U\\+${code}$`));
    }
    expect((await readdir(root)).sort()).toEqual(['here.txt']);
  });

  it('does not list a file whose name has a control character (a cell made it), and lists the rest', async () => {
    await writeFile(join(root, 'made\nby a cell.csv'), '1');
    await writeFile(join(root, 'fine.csv'), '1');
    const listed = (await (await app.request('/api/files', { headers: auth })).json()) as { name: string }[];
    expect(listed.map(({ name }) => name)).toEqual(['fine.csv', 'here.txt']);
  });
});
