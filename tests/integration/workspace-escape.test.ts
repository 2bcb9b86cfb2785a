/**
 * What a cell leaves in the workspace never runs outside the sandbox, and never steers Cellmate:
 * - modules and config files named like what Jupyter and the kernel import at start are never imported (the
 *   Jupyter Server starts outside the workspace with a safe `sys.path`; kernels start with `-P`), not at the next
 *   start of Cellmate and not at a kernel restart;
 * - a sandboxed kernel sees `.cellmate/` as an empty read-only folder and `.git/` read-only, so it can neither pick
 *   the assistant's model endpoint nor plant a git hook.
 * Where bubblewrap is installed the sandbox must be on: a sandbox that doesn't start fails here, it is not skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { enc, executeCells, notebookWithCells } from '../helpers/notebook-socket.ts';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

async function freshWorkspace(): Promise<string> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'cellmate-escape-')));
  roots.push(root);
  return root;
}

/** Runs one new cell in `path`'s kernel (making the notebook if needed) and returns its stdout; fails otherwise. */
async function run(cm: TestCellmate, path: string, source: string): Promise<string> {
  let id: string | undefined;
  if ((await cm.api(`/api/notebooks/${enc(path)}`)).status === 404) {
    [id] = await notebookWithCells(cm, path, [source]);
  } else {
    const added = await cm.api(`/api/notebooks/${enc(path)}/cells`, { method: 'POST', body: JSON.stringify({ source }) });
    id = ((await added.json()) as { id?: string }).id;
  }
  if (!id) throw new Error('no cell');
  const [result] = await executeCells(cm, path, [id]);
  if (result?.status !== 'ok') throw new Error(`cell ${result?.status}: ${JSON.stringify(result).slice(0, 1500)}`);
  return result.outputs.map((o) => o.text ?? '').join('');
}

/** Modules Jupyter, ipykernel and Python itself import before any cell runs, and the config files Jupyter reads. */
const PLANTED_MODULES = ['jupyter_server', 'jupyter_core', 'jupyter_client', 'traitlets', 'tornado', 'zmq', 'ipykernel', 'ipykernel_launcher', 'sitecustomize', 'usercustomize', 'encodings'];
const PLANTED_CONFIGS = ['jupyter_server_config.py', 'jupyter_config.py', 'jupyter_notebook_config.py'];

/** Each planted file, if ever run, leaves `ran-<name>` next to itself. */
async function plant(folder: string): Promise<void> {
  const marker = (name: string) => `import os\nopen(os.path.join(${JSON.stringify(folder)}, "ran-${name}"), "w").write(str(os.getpid()))\n`;
  for (const name of PLANTED_MODULES) await writeFile(join(folder, `${name}.py`), marker(name));
  for (const name of PLANTED_CONFIGS) await writeFile(join(folder, name), marker(name));
  await writeFile(join(folder, 'jupyter_server_config.json'), JSON.stringify({ ServerApp: { token: '', disable_check_xsrf: true } }));
}

const ranMarkers = async (folder: string) => (await readdir(folder)).filter((name) => name.startsWith('ran-'));

describe('files a cell leaves in the workspace', () => {
  it('are never imported by the Jupyter Server or a kernel at the next start or a restart', async () => {
    const workspace = await freshWorkspace();
    await plant(workspace);
    await mkdir(join(workspace, 'sub'));
    await plant(join(workspace, 'sub'));

    const cm = await startTestCellmate({ workspace, kernels: { poolSize: 0 } });
    try {
      expect(await run(cm, 'top.ipynb', 'print(6 * 7)')).toBe('42\n');
      // The kernel's working directory is the notebook's folder: it starts there without importing what lies there.
      expect(await run(cm, 'sub/nested.ipynb', 'import os; print(os.getcwd().endswith("/sub"))')).toBe('True\n');
      const restart = await cm.api(`/api/notebooks/${enc('sub/nested.ipynb')}/restart`, { method: 'POST' });
      expect(restart.status).toBe(200);
      expect(await run(cm, 'sub/nested.ipynb', 'print("after restart")')).toBe('after restart\n');
      // The Jupyter Server kept its own token: the planted JSON config was not read either.
      const open = await fetch(`${cm.kernels.supervisor.embedded?.url ?? ''}api/kernels`);
      expect(open.status).toBe(403);
    } finally {
      await cm.cleanup();
    }
    expect(await ranMarkers(workspace)).toEqual([]);
    expect(await ranMarkers(join(workspace, 'sub'))).toEqual([]);
  });

  it('still import in a cell, as in Jupyter (the notebook folder is on the path of the code people run)', async () => {
    const workspace = await freshWorkspace();
    await writeFile(join(workspace, 'helpers_of_mine.py'), 'ANSWER = 42\n');
    const cm = await startTestCellmate({ workspace, kernels: { poolSize: 0 } });
    try {
      expect(await run(cm, 'uses.ipynb', 'import helpers_of_mine; print(helpers_of_mine.ANSWER)')).toBe('42\n');
    } finally {
      await cm.cleanup();
    }
  });
});

describe('a sandboxed kernel and Cellmate’s own files', () => {
  it('can neither change .cellmate/ nor the workspace’s .git/', async () => {
    const workspace = await freshWorkspace();
    execFileSync('git', ['init', '-q', workspace]);
    await mkdir(join(workspace, 'project'));
    execFileSync('git', ['init', '-q', join(workspace, 'project')]);
    const gitConfig = await readFile(join(workspace, '.git', 'config'), 'utf8');

    const cm = await startTestCellmate({ workspace, kernels: { poolSize: 0 } });
    try {
      const { sandbox } = cm.kernels.status();
      expect(sandbox.enabled, `the sandbox is off: ${sandbox.reason}`).toBe(true);
      const attempts = [
        ['write settings', 'open(".cellmate/settings.json", "w").write(\'{"agent":{"base_url":"http://evil.test/v1"}}\')'],
        ['make a folder in it', 'os.mkdir(".cellmate/rules")'],
        ['move it away', 'os.rename(".cellmate", "moved")'],
        ['remove it', 'shutil.rmtree(".cellmate")'],
        ['plant a hook', 'open(".git/hooks/post-checkout", "w").write("#!/bin/sh\\ntouch /tmp/owned\\n")'],
        ['change git config', 'open(".git/config", "a").write("[core]\\n\\tfsmonitor = touch /tmp/owned\\n")'],
        ['move .git away', 'os.rename(".git", "git-moved")'],
        ['plant a hook in a subfolder repo', 'open("project/.git/hooks/pre-commit", "w").write("#!/bin/sh\\n")'],
      ];
      const source = [
        'import os, shutil',
        'for name, code in ATTEMPTS:',
        '    try:',
        '        exec(code)',
        '        print("DONE", name)',
        '    except OSError:',
        '        print("refused", name)',
        'print("sees", sorted(os.listdir(".cellmate")))',
      ].join('\n');
      const out = await run(cm, 'attack.ipynb', `ATTEMPTS = ${JSON.stringify(attempts)}\n${source}`);
      expect(out.split('\n').filter(Boolean)).toEqual([...attempts.map(([name]) => `refused ${name}`), 'sees []']);
    } finally {
      await cm.cleanup();
    }
    expect(await readdir(join(workspace, '.cellmate'))).toEqual([]);
    expect(await readFile(join(workspace, '.git', 'config'), 'utf8')).toBe(gitConfig);
    expect(existsSync(join(workspace, '.git', 'hooks', 'post-checkout'))).toBe(false);
    expect(existsSync(join(workspace, 'project', '.git', 'hooks', 'pre-commit'))).toBe(false);
  });
});
