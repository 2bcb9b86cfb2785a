/**
 * Tools that look around without changing the notebook: the files next to it, and the kernel's variables
 * (described by `kernels/cellmate_helpers.py`, run silently so the person's history and counters don't move).
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cutText } from '../text-shaping.ts';
import { defineTool, ToolError } from './types.ts';

const HELPER_URL = new URL('../../../kernels/cellmate_helpers.py', import.meta.url);
let helperSource: string | null = null;

/** The variable helper's Python source (`kernels/cellmate_helpers.py`). */
export function variableHelperSource(): string {
  helperSource ??= readFileSync(HELPER_URL, 'utf8');
  return helperSource;
}

/**
 * Python that loads the helper module from its source (the kernel's working directory is the notebook's
 * folder, not the repository, so it can't be imported by path) into `sys.modules` once per source version,
 * prints the variables as JSON, and leaves no name behind in the person's namespace.
 */
export function buildInspectCode(source: string, names: readonly string[] | null): string {
  const version = createHash('sha256').update(source).digest('hex').slice(0, 12);
  // A JSON string literal is a valid Python string literal (same escapes), and JSON null/lists load with json.
  return [
    'def __cellmate_inspect():',
    '    import json, sys, types',
    `    name = 'cellmate_helpers_${version}'`,
    '    module = sys.modules.get(name)',
    '    if module is None:',
    '        module = types.ModuleType(name)',
    `        exec(compile(${JSON.stringify(source)}, 'cellmate_helpers.py', 'exec'), module.__dict__)`,
    '        sys.modules[name] = module',
    `    print(module.describe_variables_json(names=json.loads(${JSON.stringify(JSON.stringify(names))})))`,
    'try:',
    '    __cellmate_inspect()',
    'finally:',
    '    del __cellmate_inspect',
  ].join('\n');
}

export const variableSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  value: z.string().optional(),
  len: z.number().optional(),
  shape: z.array(z.number()).optional(),
  dtype: z.string().optional(),
  series_name: z.string().optional(),
  columns: z.array(z.object({ name: z.string(), dtype: z.string() })).optional(),
  columns_omitted: z.number().optional(),
  keys: z.array(z.string()).optional(),
  error: z.string().optional(),
});
const reportSchema = z.union([
  z.object({ variables: z.array(variableSchema), omitted: z.number() }),
  z.object({ error: z.string() }),
]);
type Variable = z.infer<typeof variableSchema>;

/** One line per variable: `df: pandas.DataFrame shape (1000, 3); columns: date datetime64[ns], …`. */
export function formatVariable(v: Variable): string {
  const parts = [`${v.name}: ${v.type}`];
  if (v.value !== undefined) parts.push(`= ${v.value}`);
  if (v.shape) parts.push(`shape (${v.shape.join(', ')})`);
  if (v.len !== undefined) parts.push(`len ${v.len}`);
  if (v.dtype) parts.push(`dtype ${v.dtype}`);
  if (v.series_name) parts.push(`named ${JSON.stringify(v.series_name)}`);
  let text = parts.join(' ');
  if (v.keys) text += `; keys ${v.keys.join(', ')}`;
  if (v.columns) {
    text += `; columns: ${v.columns.map((c) => `${c.name} ${c.dtype}`).join(', ')}`;
    if (v.columns_omitted) text += ` … and ${v.columns_omitted} more`;
  }
  if (v.error) text += ` (could not describe: ${v.error})`;
  return text;
}

export const inspectVariables = defineTool({
  name: 'inspect_variables',
  description:
    "Lists the kernel's variables: names, types, values of short scalars, shapes, and DataFrame columns with " +
    'dtypes. Use it to reuse what is already loaded instead of loading data again.',
  input: z.object({ names: z.array(z.string()).nullable().describe('Only these variables; null for all.') }),
  async handler({ names }, ctx) {
    const { stdout, error } = await ctx.notebook.evaluateSilently(buildInspectCode(variableHelperSource(), names), { timeoutMs: 15_000 });
    if (error) throw new ToolError('kernel_error', `The kernel could not list its variables: ${error}`, 'Try again after the running cell finishes.');
    let json: unknown;
    try {
      json = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
    } catch {
      throw new ToolError('kernel_error', `The variable helper printed something unexpected: ${cutText(stdout, 300)}`, 'Use run_cell with print() instead.');
    }
    const report = reportSchema.safeParse(json);
    if (!report.success) throw new ToolError('kernel_error', 'The variable helper answered in an unexpected shape.', 'Use run_cell with print() instead.');
    if ('error' in report.data) throw new ToolError('kernel_error', `The variable helper failed: ${report.data.error}`, 'Use run_cell with print() instead.');
    const { variables, omitted } = report.data;
    if (variables.length === 0) return { content: 'The kernel has no variables yet.', summary: 'no variables' };
    const more = omitted > 0 ? `\n… and ${omitted} more (ask for them by name).` : '';
    return {
      content: cutText(variables.map(formatVariable).join('\n') + more, ctx.outputChars),
      summary: `${variables.length + omitted} variables`,
    };
  },
});

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

const MAX_FILES = 200;

export const listFiles = defineTool({
  name: 'list_files',
  description:
    "Lists the files in the notebook's folder, which is the kernel's working directory: read them with relative " +
    "paths, e.g. pd.read_csv('sales.csv').",
  input: z.object({}),
  async handler(_input, ctx) {
    const files = await ctx.notebook.listFiles();
    if (files.length === 0) return { content: "The notebook's folder has no files.", summary: 'no files' };
    const shown = files.slice(0, MAX_FILES).map((f) => (f.kind === 'directory' ? `${f.path}/` : `${f.path}  ${size(f.size)}`));
    const more = files.length > MAX_FILES ? `\n… and ${files.length - MAX_FILES} more` : '';
    return { content: shown.join('\n') + more, summary: `${files.length} files` };
  },
});
