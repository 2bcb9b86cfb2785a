import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSeconds, relocationCode } from './kernel-requests.ts';

describe('relocationCode', () => {
  it('moves Python to the notebook folder (or its nearest existing parent) without leaving names behind', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'cellmate-relocate-')));
    try {
      mkdirSync(join(root, 'sales'));
      const script = (path: string) =>
        `${relocationCode(path)}\nimport json\nprint(json.dumps([os.getcwd(), os.environ["PWD"], os.environ["JPY_SESSION_NAME"], "target" in globals()]))`;
      const run = (path: string) => JSON.parse(execFileSync(process.env.CELLMATE_PYTHON ?? '/usr/bin/python3', ['-c', `import os\n${script(path)}`], { cwd: root, encoding: 'utf8' })) as unknown;
      expect(run('sales/report.ipynb')).toEqual([join(root, 'sales'), join(root, 'sales'), 'sales/report.ipynb', false]);
      expect(run('sales/q1/missing/report.ipynb')).toEqual([join(root, 'sales'), join(root, 'sales'), 'sales/q1/missing/report.ipynb', false]);
      expect(run('\\\\top.ipynb')).toEqual([root, root, 'top.ipynb', false]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('formatSeconds', () => {
  it('shows whole and fractional seconds', () => {
    expect(formatSeconds(3000)).toBe('3 s');
    expect(formatSeconds(1500)).toBe('1.5 s');
  });
});
