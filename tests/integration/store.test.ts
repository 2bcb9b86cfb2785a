/**
 * The store against the real filesystem and real crashes: a child process saving in a tight loop is SIGKILLed
 * at varying moments, and every path attack is tried on a workspace with real files, links and neighbours.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync, watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotebook } from '../../server/protocol/index.ts';
import { PathOutsideWorkspace } from '../../server/errors.ts';
import { parseNotebook, serializeNotebook } from '../../server/store/serializer.ts';
import { Workspace } from '../../server/store/storage.ts';
import { crashVersions } from '../fixtures/store/crash-versions.ts';

const SAVE_LOOP = join(import.meta.dirname, '..', 'fixtures', 'store', 'save-loop.ts');
const TSX = createRequire(import.meta.url).resolve('tsx');

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'cellmate-store-it-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/** When to kill the save loop: on one of its stdout lines, or once the save that line announces is mid-write. */
interface KillPlan {
  line: string;
  /** Wait, after `line`, for the save's temp file to hold some bytes (seen through fs.watch): a kill mid-write. */
  midWrite?: boolean;
}

/** Runs the save loop (a child process) and SIGKILLs it as planned; resolves once it is dead. */
function saveUntilKilled(root: string, path: string, plan: KillPlan): Promise<void> {
  const folder = join(root, dirname(path));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, SAVE_LOOP, root, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let isArmed = false;
    let isKilled = false;
    let buffered = '';
    let stderr = '';
    const kill = () => {
      if (isKilled) return;
      isKilled = true;
      child.kill('SIGKILL');
    };
    const watcher = watch(folder, () => {
      if (!isArmed || isKilled) return;
      for (const name of readdirSync(folder)) {
        if (name.endsWith('.cellmate-tmp') && statSync(join(folder, name), { throwIfNoEntry: false })?.size) kill();
      }
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === plan.line && !plan.midWrite) kill();
        else if (line === plan.line) isArmed = true;
        else if (isArmed && line.startsWith('saved')) kill(); // the write outran the watcher: kill between saves
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      watcher.close();
      if (signal === 'SIGKILL' && isKilled) resolve();
      else reject(new Error(`the save loop stopped by itself (${signal ?? code}): ${stderr}`));
    });
  });
}

const tempFiles = async (folder: string) => (await readdir(folder)).filter((name) => name.endsWith('.cellmate-tmp'));

describe('crash safety', () => {
  it('a save killed at any moment leaves a complete version; leftovers are ignored, then cleaned', { timeout: 180_000 }, async () => {
    const root = join(base, 'crash');
    await mkdir(root);
    const workspace = new Workspace(root);
    const versions = crashVersions();
    const complete = versions.map(serializeNotebook);
    await workspace.writeNotebook('nb/crash.ipynb', versions[0]);

    let killsMidWrite = 0;
    for (let round = 0; round < 20; round++) {
      // Vary the moment: as the n-th save starts (still serialising), in the middle of its write, or after it.
      const n = round % 3;
      const plan: KillPlan = [{ line: `saving ${n}` }, { line: `saving ${n}`, midWrite: true }, { line: `saved ${n}` }][round % 3]!;
      await saveUntilKilled(root, 'nb/crash.ipynb', plan);

      const text = await readFile(join(root, 'nb/crash.ipynb'), 'utf8');
      expect(complete.includes(text), `round ${round}: the file is one complete version`).toBe(true);
      expect(parseNotebook(text).warnings).toEqual([]);
      if ((await tempFiles(join(root, 'nb'))).length > 0) killsMidWrite++;
      expect((await workspace.listNotebooks()).map((nb) => nb.path)).toEqual(['nb/crash.ipynb']);
    }
    // The mid-write kills did land inside writes: they left partial temp files behind.
    expect(killsMidWrite).toBeGreaterThan(0);

    await workspace.writeNotebook('nb/crash.ipynb', versions[1]);
    expect(await tempFiles(join(root, 'nb'))).toEqual([]);
    expect(await readFile(join(root, 'nb/crash.ipynb'), 'utf8')).toBe(complete[1]);
  });
});

/** Every file under `folder` with a hash of its content: to prove an attack changed nothing. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    const key = relative(folder, path);
    if (entry.isSymbolicLink()) result[key] = 'link';
    else if (entry.isFile()) result[key] = createHash('sha256').update(await readFile(path)).digest('hex');
    else result[key] = 'dir';
  }
  return result;
}

describe('paths that leave the workspace', () => {
  let root: string;
  let outside: string;
  let workspace: Workspace;
  const secret = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {"secret": true}, "cells": []}';
  const probe = 'cellmate-store-probe.ipynb';

  beforeAll(async () => {
    outside = join(base, 'paths');
    root = join(outside, 'ws');
    await mkdir(join(root, 'inside'), { recursive: true });
    await mkdir(join(outside, 'ws-other'));
    await writeFile(join(outside, 'ws-other', 'secret.ipynb'), secret);
    await writeFile(join(outside, 'outside.ipynb'), secret);
    await writeFile(join(root, 'inside', 'ok.ipynb'), serializeNotebook(createNotebook()));
    await symlink('/etc', join(root, 'etc-link'));
    await symlink(join(outside, 'ws-other'), join(root, 'other-link'));
    await symlink(join(outside, 'outside.ipynb'), join(root, 'out.ipynb'));
    await symlink(join(outside, 'nowhere.ipynb'), join(root, 'dangling.ipynb'));
    await symlink(join(root, 'loop'), join(root, 'loop'));
    workspace = new Workspace(root);
  });

  const attacks = {
    'a .. segment': '../outside.ipynb',
    'a .. segment that comes back in': 'inside/../../ws/inside/ok.ipynb',
    'an absolute path': '/etc/passwd',
    'an absolute path into the workspace itself': '/inside/ok.ipynb',
    'a NUL byte': 'inside/ok.ipynb\0.txt',
    'backslashes': '..\\outside.ipynb',
    'an encoded ..': '%2e%2e/outside.ipynb',
    'an encoded ../ in one segment': '..%2Foutside.ipynb',
    'a double-encoded ..': '%252e%252e/outside.ipynb',
    'a symlink to /etc': 'etc-link/passwd',
    'a symlink to a sibling folder sharing the prefix (ws → ws-other)': 'other-link/secret.ipynb',
    'a symlinked notebook leading out': 'out.ipynb',
    'a dangling symlink': 'dangling.ipynb',
    'a symlink loop': 'loop/x.ipynb',
  };

  it.each(Object.entries(attacks))('refuses %s, touching nothing', async (_what, path) => {
    const before = await snapshot(outside);
    const attempts: [string, () => Promise<unknown>][] = [
      ['resolve', () => workspace.resolve(path)],
      ['stat', () => workspace.stat(path)],
      ['exists', () => workspace.exists(path)],
      ['listFiles', () => workspace.listFiles(path)],
      ['readNotebook', () => workspace.readNotebook(path.endsWith('.ipynb') ? path : `${path}.ipynb`)],
      ['writeNotebook', () => workspace.writeNotebook(path.endsWith('.ipynb') ? path : `${path}-${probe}`, createNotebook())],
      ['createNotebook', () => workspace.createNotebook(path.endsWith('.ipynb') ? path : `${path}-${probe}`)],
      ['deleteNotebook', () => workspace.deleteNotebook(path.endsWith('.ipynb') ? path : `${path}.ipynb`)],
    ];
    for (const [operation, attempt] of attempts) {
      await expect(attempt(), operation).rejects.toThrow(PathOutsideWorkspace);
    }
    expect(await snapshot(outside)).toEqual(before);
    expect(existsSync(join('/etc', probe))).toBe(false);
    expect(existsSync('/etc/passwd-cellmate-store-probe.ipynb')).toBe(false);
  });

  it('refuses the route-decoded form of an encoded traversal (the route decodes once)', async () => {
    await expect(workspace.readNotebook(decodeURIComponent('%2e%2e%2Foutside.ipynb'))).rejects.toThrow(PathOutsideWorkspace);
  });

  it('never lists what lies behind links leading out', async () => {
    expect((await workspace.listNotebooks()).map((nb) => nb.path)).toEqual(['inside/ok.ipynb']);
    expect((await workspace.listFiles()).map((f) => f.path)).toEqual(['inside']);
  });

  it('still serves the workspace itself, and a sibling name is not the workspace', async () => {
    expect((await workspace.readNotebook('inside/ok.ipynb')).doc.cells).toHaveLength(1);
    expect(await workspace.resolve('inside/ok.ipynb')).toBe(join(workspace.root, 'inside', 'ok.ipynb'));
    expect(await workspace.exists('ws-other/secret.ipynb')).toBe(false);
    expect((await stat(join(outside, 'ws-other', 'secret.ipynb'))).isFile()).toBe(true);
  });
});
