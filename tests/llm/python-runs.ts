/**
 * The Python the scenarios' fake model writes, and what IPython does with it: the in-memory notebook plays these;
 * a real kernel produces the same (the assertions only rely on what both produce).
 */
import type { ScriptedRun } from './memory-notebook.ts';
import { out } from './memory-notebook.ts';

export const CODE = {
  missingName: 'print(total)',
  fixedName: 'total = sum([1, 2, 3])\nprint(total)',
  endless: 'while True: pass',
  printEndless: 'print("working")\nwhile True: pass',
  hundredThousandLines: 'for i in range(100_000):\n    print(i)',
  one: 'print(1)',
  two: 'print(2)',
} as const;

/** IPython's traceback for `print(total)` in a fresh kernel, colours included. */
export const NAME_ERROR_TRACEBACK = [
  '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m',
  '\u001b[0;31mNameError\u001b[0m                                 Traceback (most recent call last)',
  'Cell \u001b[0;32mIn[1], line 1\u001b[0m\n\u001b[0;32m----> 1\u001b[0m \u001b[38;5;28mprint\u001b[39m(total)\n',
  "\u001b[0;31mNameError\u001b[0m: name 'total' is not defined",
];

export const PYTHON_RUNS: Record<string, ScriptedRun> = {
  [CODE.missingName]: { outputs: [out.error('NameError', "name 'total' is not defined", NAME_ERROR_TRACEBACK)] },
  [CODE.fixedName]: { outputs: [out.stdout('6\n')] },
  [CODE.endless]: { outputs: [], hangs: true },
  [CODE.printEndless]: { outputs: [out.stdout('working\n')], hangs: true },
  [CODE.hundredThousandLines]: { outputs: [out.stdout(Array.from({ length: 100_000 }, (_, i) => `${i}\n`).join(''))] },
  [CODE.one]: { outputs: [out.stdout('1\n')] },
  [CODE.two]: { outputs: [out.stdout('2\n')] },
};
