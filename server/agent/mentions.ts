/**
 * What `@` in the composer offers (`GET /api/notebooks/{path}/agent/mentions`): the files of the notebook's
 * folder and the kernel's variables with a one-line summary each. Variables come from the running kernel only:
 * none is started for this, and behind a running cell the list is empty with `busy` (as the editor's
 * completions). Cells the page knows itself.
 */
import type { Mentions } from '../protocol/index.ts';
import type { AgentNotebook } from './types.ts';
import { formatVariable } from './tools/kernel-tools.ts';
import { listVariables, type RunningEvaluator } from './variable-peek.ts';

export async function mentionsOf(notebook: { listFiles: AgentNotebook['listFiles']; evaluateIfRunning: RunningEvaluator }): Promise<Mentions> {
  const files = (await notebook.listFiles()).map((file) => ({ ...file, name: file.path.slice(file.path.lastIndexOf('/') + 1) }));
  const listed = await listVariables(notebook.evaluateIfRunning);
  if (listed.status !== 'ok') return { files, variables: [], variables_status: listed.status };
  const variables = listed.variables.map((v) => ({ name: v.name, type: v.type, summary: formatVariable(v).slice(v.name.length + 2, 200) }));
  return { files, variables, variables_status: 'ok' };
}
