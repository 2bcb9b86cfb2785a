/**
 * The notebook tools an MCP client gets. Every tool that touches a notebook names it (`notebook_path`): there is
 * no current notebook, so an agent can't edit the wrong one. Reading, running, the files and the variables are
 * the built-in assistant's own handlers (`../agent/tools/`); changes go through `planBatch` (version-checked,
 * one step) and the client's turn (`ClientTurns`). Failures come back as tool errors saying what to do next.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { EditError } from '../protocol/index.ts';
import { CellmateError } from '../errors.ts';
import { findCell } from '../agent/tools/cell-tools.ts';
import { inspectVariables, listFiles } from '../agent/tools/kernel-tools.ts';
import { runCell } from '../agent/tools/run-cell.ts';
import { ToolError, type ToolOutcome } from '../agent/tools/types.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { Workspace } from '../store/storage.ts';
import { cellOperationSchema, describeStale, planBatch, type CellOperation } from './batch-edits.ts';
import type { ClientTurns, ClientNotebook } from './client-turns.ts';
import { imageContent, shapeRead } from './read-shape.ts';

export interface McpToolDeps {
  sessions: SessionManager;
  workspace: Workspace;
}

/** A run's default time limit: the built-in assistant's. */
const DEFAULT_TIMEOUT_S = 120;
const DEFAULT_READ_CHARS = 20_000;
const MAX_NOTEBOOKS = 500;

const notebookPath = z.string().min(1).describe('The notebook, as a path in the workspace, e.g. "analysis/sales.ipynb".');
const cellId = z.string().min(1).describe('A cell id, as read_notebook shows it.');
const version = z.string().min(1).describe('The version of the cell as read_notebook (or your last change) showed it.');

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

function fromOutcome(outcome: ToolOutcome): CallToolResult {
  return { content: [{ type: 'text', text: outcome.content }, ...(outcome.images ?? []).map(imageContent)] };
}

/** A failure as the client reads it: what went wrong and what to do. */
function failure(error: unknown): CallToolResult {
  let message: string;
  if (error instanceof ToolError) message = `${error.message}\n${error.fix}`;
  else if (error instanceof EditError) message = `${error.message}\nThe notebook changed meanwhile: call read_notebook and try again.`;
  else if (error instanceof CellmateError) message = error.message;
  else message = `The tool failed: ${error instanceof Error ? error.message : String(error)}`;
  return { isError: true, content: [{ type: 'text', text: message }] };
}

async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    return failure(error);
  }
}

/** Applies a batch as one step of the client's turn, or refuses it whole with the stale cells' current text. */
function applyBatch(target: ClientNotebook, operations: readonly CellOperation[]): CallToolResult {
  const plan = planBatch(target.notebook.doc(), operations, target.author);
  if (!plan.ok) return { isError: true, content: [{ type: 'text', text: describeStale(plan.stale) }] };
  if (plan.edits.length > 0) target.notebook.applyEdits(plan.edits);
  const lines = plan.results.map(({ action, cell_id, version }) => {
    if (action === 'add') return `added cell ${cell_id} (version ${version})`;
    if (action === 'edit') return `edited cell ${cell_id} (now version ${version})`;
    return `deleted cell ${cell_id}`;
  });
  return text(`${lines.join('\n')}\nCode cells changed or added are not run: call run_cells.`);
}

export function registerNotebookTools(server: McpServer, deps: McpToolDeps, turns: ClientTurns): void {
  const { sessions, workspace } = deps;
  const open = (path: string) => turns.open(path);

  server.registerTool(
    'list_notebooks',
    { description: 'Lists the notebooks in the Cellmate workspace (their paths and when they last changed).', inputSchema: {} },
    () =>
      guarded(async () => {
        const notebooks = await workspace.listNotebooks();
        if (notebooks.length === 0) return text('The workspace has no notebooks yet (create_notebook makes one).');
        const shown = notebooks.slice(0, MAX_NOTEBOOKS).map((n) => `${n.path}  (modified ${n.last_modified})`);
        const more = notebooks.length > MAX_NOTEBOOKS ? `\n… and ${notebooks.length - MAX_NOTEBOOKS} more` : '';
        return text(shown.join('\n') + more);
      }),
  );

  server.registerTool(
    'create_notebook',
    { description: 'Creates a new notebook (one empty code cell) at the path given; refused if something is there.', inputSchema: { notebook_path: notebookPath } },
    ({ notebook_path }) => guarded(async () => text(`Created ${await workspace.createNotebook(notebook_path)}.`)),
  );

  server.registerTool(
    'list_files',
    {
      description: "Lists the files in the notebook's folder, which is its kernel's working directory (read them with relative paths).",
      inputSchema: { notebook_path: notebookPath },
    },
    ({ notebook_path }, extra) =>
      guarded(async () => {
        const target = await open(notebook_path);
        return fromOutcome(await listFiles.run({}, turns.context(target, { signal: extra.signal, cellTimeoutMs: 0, outputChars: DEFAULT_READ_CHARS })));
      }),
  );

  server.registerTool(
    'read_notebook',
    {
      description:
        'Reads a notebook: each cell with its id, version, type, run state, author, source and outputs (long outputs keep ' +
        'their start and end; images come as image content). Edits and deletes must give the version they read.',
      inputSchema: {
        notebook_path: notebookPath,
        cell_ids: z.array(cellId).optional().describe('Only these cells; omit for all.'),
        max_chars: z.number().int().min(1_000).max(200_000).optional().describe(`Characters of text at most (default ${DEFAULT_READ_CHARS}).`),
        max_images: z.number().int().min(0).max(20).optional().describe('Images at most (default 4).'),
      },
    },
    ({ notebook_path, cell_ids, max_chars, max_images }, extra) =>
      guarded(async () => {
        const target = await open(notebook_path);
        const context = turns.context(target, { signal: extra.signal, cellTimeoutMs: 0, outputChars: 0 });
        const doc = target.notebook.doc();
        const cells = cell_ids === undefined ? doc.cells : cell_ids.map((id) => findCell(context, id));
        return { content: shapeRead(target.session.path, doc, cells, { maxChars: max_chars ?? DEFAULT_READ_CHARS, maxImages: max_images ?? 4 }) };
      }),
  );

  server.registerTool(
    'add_cell',
    {
      description: 'Adds a cell (marked as written by you) and answers with its id and version. It does not run it: call run_cells.',
      inputSchema: {
        notebook_path: notebookPath,
        source: z.string().max(1_000_000).describe('The full source of the cell.'),
        cell_type: z.enum(['code', 'markdown']).optional().describe('code (the default) or markdown.'),
        after_cell_id: cellId.optional().describe('Insert after this cell; omit to add at the end.'),
      },
    },
    ({ notebook_path, source, cell_type, after_cell_id }) =>
      guarded(async () => applyBatch(await open(notebook_path), [{ action: 'add', source, cell_type: cell_type ?? 'code', after_cell_id }])),
  );

  server.registerTool(
    'edit_cell',
    {
      description:
        "Replaces a cell's whole source. Give the version you read: if the cell changed since (another agent, a person " +
        'typing), nothing is changed and you get its current text and version. It does not run the cell.',
      inputSchema: { notebook_path: notebookPath, cell_id: cellId, version, source: z.string().max(1_000_000).describe('The new full source.') },
    },
    ({ notebook_path, cell_id, version, source }) =>
      guarded(async () => applyBatch(await open(notebook_path), [{ action: 'edit', cell_id, version, source }])),
  );

  server.registerTool(
    'delete_cell',
    {
      description: 'Deletes a cell. Give the version you read: a cell that changed since is not deleted (you get its current text).',
      inputSchema: { notebook_path: notebookPath, cell_id: cellId, version },
    },
    ({ notebook_path, cell_id, version }) => guarded(async () => applyBatch(await open(notebook_path), [{ action: 'delete', cell_id, version }])),
  );

  server.registerTool(
    'edit_cells',
    {
      description:
        'Adds, edits and deletes several cells in one step, all or nothing: if any cell to edit or delete changed since ' +
        'you read it, nothing is applied and you get the current text and version of each such cell.',
      inputSchema: { notebook_path: notebookPath, edits: z.array(cellOperationSchema).min(1).max(500) },
    },
    ({ notebook_path, edits }) => guarded(async () => applyBatch(await open(notebook_path), edits)),
  );

  server.registerTool(
    'run_cells',
    {
      description:
        'Runs code cells in order in the notebook\'s kernel (queued behind runs already waiting) and answers with each ' +
        "one's status and outputs (images as image content). Stops at the first cell that fails. A cell running longer " +
        'than the timeout is interrupted.',
      inputSchema: {
        notebook_path: notebookPath,
        cell_ids: z.array(cellId).min(1).max(200),
        timeout_seconds: z.number().min(1).max(3600).optional().describe(`Per cell (default ${DEFAULT_TIMEOUT_S}).`),
        max_chars: z.number().int().min(1_000).max(200_000).optional().describe('Characters of output per cell at most (default 8000).'),
      },
    },
    ({ notebook_path, cell_ids, timeout_seconds, max_chars }, extra) =>
      guarded(async () => {
        const target = await open(notebook_path);
        const cellTimeoutMs = (timeout_seconds ?? DEFAULT_TIMEOUT_S) * 1000;
        const context = turns.context(target, { signal: extra.signal, cellTimeoutMs, outputChars: max_chars ?? 8_000 });
        const cells = cell_ids.map((id) => findCell(context, id));
        const other = cells.find((cell) => cell.cell_type !== 'code');
        if (other) throw new ToolError('not_code', `Cell ${other.id} is a ${other.cell_type} cell; only code cells run.`, 'Leave it out of cell_ids.');
        const content: CallToolResult['content'] = [];
        for (const [index, cell] of cells.entries()) {
          content.push(...fromOutcome(await runCell.run({ id: cell.id }, context)).content);
          const status = target.session.runtimeOf(cell.id).status;
          if ((status === 'error' || status === 'aborted') && index < cells.length - 1) {
            content.push({ type: 'text', text: `Not run, since cell ${cell.id} did not succeed: ${cell_ids.slice(index + 1).join(', ')}.` });
            break;
          }
        }
        return { content };
      }),
  );

  server.registerTool(
    'inspect_variables',
    {
      description: "Lists the kernel's variables: names, types, short values, shapes, DataFrame columns and dtypes.",
      inputSchema: { notebook_path: notebookPath, names: z.array(z.string()).optional().describe('Only these variables; omit for all.') },
    },
    ({ notebook_path, names }, extra) =>
      guarded(async () => {
        const target = await open(notebook_path);
        return fromOutcome(await inspectVariables.run({ names: names ?? null }, turns.context(target, { signal: extra.signal, cellTimeoutMs: 0, outputChars: DEFAULT_READ_CHARS })));
      }),
  );

  server.registerTool(
    'interrupt_kernel',
    { description: "Interrupts the notebook's running cell (cells queued behind it are dropped).", inputSchema: { notebook_path: notebookPath } },
    ({ notebook_path }) =>
      guarded(async () => {
        const session = await sessions.open(notebook_path);
        await session.interrupt();
        return text(`Interrupted. Kernel: ${JSON.stringify(session.kernelInfo)}`);
      }),
  );

  server.registerTool(
    'restart_kernel',
    { description: "Restarts the notebook's kernel: every variable is gone; run the cells again to get them back.", inputSchema: { notebook_path: notebookPath } },
    ({ notebook_path }) =>
      guarded(async () => {
        const session = await sessions.open(notebook_path);
        await session.restart();
        return text(`Restarted. Kernel: ${JSON.stringify(session.kernelInfo)}`);
      }),
  );
}
