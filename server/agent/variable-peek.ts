/**
 * Kernel variables described for the assistant's context by name and for Fix: type, shape, a DataFrame's
 * columns and dtypes (the inspector helper's description), plus a DataFrame's or Series' first rows, or a short
 * repr of anything else. Only through the kernel that runs now: none is started for it, and behind a running
 * cell the answer says so (see `SessionKernel.evaluateIfRunning`).
 */
import { z } from 'zod';
import { buildInspectCode, formatVariable, variableHelperSource, variableSchema } from './tools/kernel-tools.ts';

/** Rows of a DataFrame's head, and the columns and column width it is printed with. */
export const HEAD_ROWS = 5;
const HEAD_COLUMNS = 20;
const HEAD_COLUMN_WIDTH = 40;
/** Characters of another value's repr. */
const REPR_CHARS = 300;
const PEEK_TIMEOUT_MS = 5_000;

export type RunningEvaluator = (code: string, options: { timeoutMs: number }) => Promise<{ status: 'ok' | 'no_kernel' | 'busy'; stdout: string; error?: string }>;

export type VariablePeek = { status: 'ok'; found: Map<string, string> } | { status: 'no_kernel' | 'busy' | 'error'; message: string };

function peekCode(names: readonly string[]): string {
  // A JSON string literal is a valid Python string literal.
  return [
    'def __cellmate_peek():',
    '    import json, reprlib',
    '    namespace = get_ipython().user_ns',
    '    short = reprlib.Repr()',
    `    short.maxstring = short.maxother = ${REPR_CHARS}`,
    '    out = {}',
    `    for name in json.loads(${JSON.stringify(JSON.stringify(names))}):`,
    '        if name not in namespace:',
    '            continue',
    '        value = namespace[name]',
    '        try:',
    "            if type(value).__module__.startswith('pandas') and hasattr(value, 'head'):",
    `                out[name] = value.head(${HEAD_ROWS}).to_string(max_cols=${HEAD_COLUMNS}, max_colwidth=${HEAD_COLUMN_WIDTH})`,
    '            else:',
    `                out[name] = short.repr(value)[:${REPR_CHARS}]`,
    '        except Exception as error:',
    "            out[name] = 'could not show: ' + repr(error)[:200]",
    '    print(json.dumps(out))',
    'try:',
    '    __cellmate_peek()',
    'finally:',
    '    del __cellmate_peek',
  ].join('\n');
}

const describedSchema = z.object({ variables: z.array(variableSchema), omitted: z.number() });
const peekSchema = z.record(z.string(), z.string());

/**
 * Describes the variables among `names` that exist in the running kernel: name → description and first rows.
 *
 * @example
 *   await peekVariables(session.evaluateIfRunning, ['df'])
 *   // { status: 'ok', found: Map { 'df' => 'df: pandas.DataFrame shape (3, 2); columns: a int64, b object\n   a  b\n0  1  x…' } }
 */
export async function peekVariables(evaluate: RunningEvaluator, names: readonly string[]): Promise<VariablePeek> {
  if (names.length === 0) return { status: 'ok', found: new Map() };
  const code = `${buildInspectCode(variableHelperSource(), names)}\n${peekCode(names)}`;
  let answer: Awaited<ReturnType<RunningEvaluator>>;
  try {
    answer = await evaluate(code, { timeoutMs: PEEK_TIMEOUT_MS });
  } catch (error) {
    return { status: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (answer.status === 'no_kernel') return { status: 'no_kernel', message: 'no kernel is running (variables are read only from a running kernel)' };
  if (answer.status === 'busy') return { status: 'busy', message: 'a cell is running, so the kernel could not be asked' };
  if (answer.error) return { status: 'error', message: answer.error };
  const lines = answer.stdout.trim().split('\n');
  try {
    const described = describedSchema.parse(JSON.parse(lines.at(-2) ?? ''));
    const heads = peekSchema.parse(JSON.parse(lines.at(-1) ?? ''));
    const found = new Map<string, string>();
    for (const variable of described.variables) {
      const head = heads[variable.name];
      found.set(variable.name, head === undefined ? formatVariable(variable) : `${formatVariable(variable)}\n${head}`);
    }
    return { status: 'ok', found };
  } catch {
    return { status: 'error', message: 'the kernel answered in an unexpected shape' };
  }
}

const PYTHON_WORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield print len range str int float list dict set tuple'.split(' '),
);

/** The names a cell's code mentions (at most `max`, first seen first), to ask the kernel which are variables. */
export function namesIn(code: string, max = 30): string[] {
  // Strings and comments are left in: a name there that is also a variable costs a line, no more.
  const names = new Set<string>();
  for (const match of code.matchAll(/(?<![.\w])[A-Za-z_][A-Za-z0-9_]*/g)) {
    if (!PYTHON_WORDS.has(match[0])) names.add(match[0]);
    if (names.size >= max) break;
  }
  return [...names];
}

const reportSchema = z.object({ variables: z.array(variableSchema), omitted: z.number() });

/** Every variable of the running kernel, described (the inspector helper's first 100), or why not. */
export async function listVariables(
  evaluate: RunningEvaluator,
): Promise<{ status: 'ok'; variables: z.infer<typeof variableSchema>[] } | { status: 'no_kernel' | 'busy' | 'timeout' | 'error' }> {
  const answer = await evaluate(buildInspectCode(variableHelperSource(), null), { timeoutMs: PEEK_TIMEOUT_MS }).catch(() => null);
  if (!answer || answer.error) return { status: 'error' };
  if (answer.status !== 'ok') return { status: answer.status };
  try {
    return { status: 'ok', variables: reportSchema.parse(JSON.parse(answer.stdout.trim().split('\n').at(-1) ?? '')).variables };
  } catch {
    return { status: 'error' };
  }
}
