import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildInspectCode } from './kernel-tools.ts';

const run = promisify(execFile);
const helper = readFileSync(new URL('../../../kernels/cellmate_helpers.py', import.meta.url), 'utf8');
// The Debian python3 is the kernel's (FIELD-NOTES: apt's pandas lives there); any python3 runs the basic case.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';


async function inspect(setup: string, names: string[] | null) {
  const code = `${setup}\n${buildInspectCode(helper, names)}\nprint(sorted(k for k in globals() if 'cellmate' in k))`;
  const { stdout } = await run(python, ['-c', code]);
  const [json = '', leftovers = ''] = stdout.trim().split('\n');
  return { report: JSON.parse(json) as { variables: Record<string, unknown>[]; omitted: number }, leftovers };
}

describe('kernels/cellmate_helpers.py through buildInspectCode', () => {
  it('describes plain variables and leaves no name behind', async () => {
    const setup = ['import os', 'n = 3', 'name = "x" * 200', 'items = [1, 2, 3]', 'conf = {"a": 1}', '_private = 1', 'def f(): pass'].join('\n');
    const { report, leftovers } = await inspect(setup, null);
    expect(leftovers).toBe('[]');
    expect(report.omitted).toBe(0);
    const byName = Object.fromEntries(report.variables.map((v) => [v['name'], v]));
    expect(Object.keys(byName)).toEqual(['conf', 'f', 'items', 'n', 'name']);
    expect(byName['n']).toEqual({ name: 'n', type: 'int', value: '3' });
    expect(String((byName['name'] as { value: string }).value)).toHaveLength(80);
    expect(byName['items']).toMatchObject({ type: 'list', len: 3 });
    expect(byName['conf']).toMatchObject({ type: 'dict', len: 1, keys: ["'a'"] });
    expect(byName['f']).toEqual({ name: 'f', type: 'function' });
  });

  // pandas is part of the kernel stack (kernels/setup.sh, CI): without it this fails rather than skips.
  it('describes DataFrames with shape, columns and dtypes', async () => {
    const setup = ['import pandas as pd', 'df = pd.DataFrame({"region": ["N", "S"], "sales": [3, 5]})', 's = df["sales"]', 'x = 1'].join('\n');
    const { report } = await inspect(setup, ['df', 's']);
    expect(report.variables).toEqual([
      { name: 'df', type: 'pandas.DataFrame', shape: [2, 2], columns: [{ name: 'region', dtype: 'object' }, { name: 'sales', dtype: 'int64' }] },
      { name: 's', type: 'pandas.Series', shape: [2], dtype: 'int64', series_name: 'sales' },
    ]);
  });
});
