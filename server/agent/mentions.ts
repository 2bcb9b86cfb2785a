/**
 * What `@` in the composer offers (`GET /api/notebooks/{path}/agent/mentions`): the files of the notebook's
 * folder and the kernel's variables with a one-line summary each. Variables come from the running kernel only:
 * none is started for this, and behind a running cell the list is empty with `busy` (as the editor's
 * completions). Cells the page knows itself.
 */
import type { Mentions } from '../protocol/index.ts';
import { z } from 'zod';
import type { AgentNotebook } from './types.ts';
import { buildInspectCode, formatVariable, variableHelperSource, variableSchema } from './tools/kernel-tools.ts';
import type { RunningEvaluator } from './variable-peek.ts';

const MENTION_TIMEOUT_MS = 5_000;
const reportSchema = z.object({ variables: z.array(variableSchema), omitted: z.number() });

export async function mentionsOf(notebook: { listFiles: AgentNotebook['listFiles']; evaluateIfRunning: RunningEvaluator }): Promise<Mentions> {
  const files = (await notebook.listFiles()).map((file) => ({ ...file, name: file.path.slice(file.path.lastIndexOf('/') + 1) }));
  const answer = await notebook.evaluateIfRunning(buildInspectCode(variableHelperSource(), null), { timeoutMs: MENTION_TIMEOUT_MS }).catch(() => null);
  if (!answer || answer.error) return { files, variables: [], variables_status: 'error' };
  if (answer.status !== 'ok') return { files, variables: [], variables_status: answer.status };
  const report = reportSchema.safeParse(parseLastLine(answer.stdout));
  if (!report.success) return { files, variables: [], variables_status: 'error' };
  const variables = report.data.variables.map((v) => ({ name: v.name, type: v.type, summary: formatVariable(v).slice(v.name.length + 2, 200) }));
  return { files, variables, variables_status: 'ok' };
}

function parseLastLine(stdout: string): unknown {
  try {
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
  } catch {
    return null;
  }
}
