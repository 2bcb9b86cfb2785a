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
  chart: [
    'import altair as alt',
    'import pandas as pd',
    "sales = pd.DataFrame({'region': ['N', 'S'], 'sales': [3, 5]})",
    "alt.Chart(sales).mark_bar().encode(x='region', y='sales')",
  ].join('\n'),
  figure: 'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3]);',
} as const;

/** The start of a PNG (signature and IHDR, 432x288): enough for a description and an `image_url`. */
export const PNG_432x288 = 'iVBORw0KGgoAAAANSUhEUgAAAbAAAAEg';

/** What altair 4 emits with the `mimetype` renderer (FIELD-NOTES): a vega-lite v4 spec with named datasets. */
const chartSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v4.17.0.json',
  config: { view: { continuousWidth: 400, continuousHeight: 300 } },
  data: { name: 'data-7f1c' },
  mark: 'bar',
  encoding: { x: { field: 'region', type: 'nominal' }, y: { field: 'sales', type: 'quantitative' } },
  datasets: { 'data-7f1c': [{ region: 'N', sales: 3 }, { region: 'S', sales: 5 }] },
};

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
  [CODE.chart]: {
    outputs: [
      {
        output_type: 'execute_result',
        execution_count: 1,
        data: { 'application/vnd.vegalite.v4+json': chartSpec, 'text/plain': '<VegaLite 4 object>\n\nIf you see this message, it means the renderer has not been properly enabled' },
        metadata: {},
      },
    ],
  },
  [CODE.figure]: {
    outputs: [{ output_type: 'display_data', data: { 'image/png': PNG_432x288, 'text/plain': '<Figure size 432x288 with 1 Axes>' }, metadata: {} }],
  },
};
