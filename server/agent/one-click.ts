/**
 * What a turn may do and what it is told besides the person's words, by its mode:
 * - `ask`: every notebook tool; what was attached by name follows the prompt as data blocks.
 * - `fix`: scoped to one cell. The prompt carries the cell's code, its error (the traceback without colour
 *   codes) and the variables it mentions as the running kernel has them. The tools are the reading ones plus
 *   `propose_fix`, and the notebook the tools get refuses every other change and every run: the only change
 *   the turn can make is that cell's new source, marked for review; accepting it runs the cell.
 * - `explain`: the reading tools only, on a notebook that refuses every change and every run, so the answer is
 *   in the panel and no cell changes, whatever the model calls.
 * The limits are kept here, on the server: a tool the turn doesn't have is an unknown tool to the registry, and
 * a change that gets past a tool anyway is refused by the notebook.
 */
import type { AgentRequest, CellDoc, NotebookDoc, NotebookEdit } from '../protocol/index.ts';
import { BadRequest, CellNotFound } from '../errors.ts';
import { attachmentSection, cellLabel, dataBlock, dataNotice, dataToken, resolveAttachments, type ContextSources } from './attachments.ts';
import { shapeCell } from './context.ts';
import { cutText, stripAnsi } from './text-shaping.ts';
import { createNotebookToolRegistry, createToolRegistry, inspectVariables, listFiles, readNotebook, ToolError, type ToolRegistry } from './tools/index.ts';
import { proposeFixTool } from './tools/propose-fix.ts';
import type { AgentNotebook } from './types.ts';
import { listVariables, namesIn, peekVariables } from './variable-peek.ts';

/** Characters of the traceback, of the variables, and of the cell (source and outputs) in a one-click prompt. */
export const ERROR_CHARS = 4_000;
export const VARIABLE_CHARS = 3_000;
export const CELL_CHARS = 6_000;

export interface PreparedTurn {
  tools: ToolRegistry;
  notebook: AgentNotebook;
  /** Follows the person's prompt in the first message ('' for none). */
  context: string;
}

function targetCell(request: AgentRequest, doc: NotebookDoc): CellDoc | null {
  if (request.cell_id === undefined) return null;
  const cell = doc.cells.find((c) => c.id === request.cell_id);
  if (!cell) throw new CellNotFound(`No cell with id ${request.cell_id} to ${request.mode ?? 'ask'} about`);
  return cell;
}

/**
 * Refuses a request that can't be a turn (before it starts, so the client hears why): a Fix names a code cell,
 * and any named cell exists.
 */
export function checkTurnRequest(request: AgentRequest, doc: NotebookDoc): void {
  const cell = targetCell(request, doc);
  if (request.mode === 'fix' && (!cell || cell.cell_type !== 'code')) throw new BadRequest('A fix needs the id of a code cell (cell_id)');
}

/** The notebook as a limited turn's tools see it: `allow` says which changes pass; no run ever does. */
function limitedNotebook(notebook: AgentNotebook, allow: (edits: readonly NotebookEdit[]) => boolean, why: string): AgentNotebook {
  return {
    path: notebook.path,
    doc: () => notebook.doc(),
    applyEdits(edits) {
      if (!allow(edits)) throw new ToolError('not_allowed', why, 'Answer in words instead.');
      notebook.applyEdits(edits);
    },
    runCell: async () => {
      throw new ToolError('not_allowed', `${why} Running cells is not possible either.`, 'Answer in words instead.');
    },
    // Nothing of this turn runs, so there is nothing of its own to interrupt (a person's run is left alone).
    interrupt: async () => undefined,
    evaluateSilently: (code, options) => notebook.evaluateSilently(code, options),
    listFiles: () => notebook.listFiles(),
  };
}

function errorText(cell: CellDoc): { name: string; text: string } | null {
  if (cell.cell_type !== 'code') return null;
  const error = cell.outputs.find((output) => output.output_type === 'error');
  if (!error || error.output_type !== 'error') return null;
  const traceback = stripAnsi(error.traceback.join('\n'));
  return { name: error.ename, text: cutText(traceback.includes(error.ename) ? traceback : `${error.ename}: ${error.evalue}\n${traceback}`, ERROR_CHARS) };
}

async function variablesText(cell: CellDoc, sources: ContextSources): Promise<string> {
  if (!sources.evaluateIfRunning) return 'Not available: no kernel to ask.';
  const names = namesIn(cell.source);
  const peek = await peekVariables(sources.evaluateIfRunning, names);
  if (peek.status !== 'ok') return `Not available: ${peek.message}.`;
  const described = peek.found.size === 0 ? 'None of the names in the cell is a variable of the kernel.' : [...peek.found.values()].join('\n\n');
  // A name the kernel lacks (a typo, a cell not run): the variables it does have, by name, say what was meant.
  const others = peek.found.size < names.length ? await otherVariables(sources.evaluateIfRunning, peek.found) : '';
  return cutText(others ? `${described}\n\nThe kernel's other variables: ${others}` : described, VARIABLE_CHARS);
}

/** At most 40 names with their types, e.g. `nums (list), df (pandas.DataFrame)`. */
async function otherVariables(evaluate: NonNullable<ContextSources['evaluateIfRunning']>, described: ReadonlyMap<string, string>): Promise<string> {
  const listed = await listVariables(evaluate);
  if (listed.status !== 'ok') return '';
  const others = listed.variables.filter((v) => !described.has(v.name));
  const shown = others.slice(0, 40).map((v) => `${v.name} (${v.type})`).join(', ');
  return others.length > 40 ? `${shown} … and ${others.length - 40} more` : shown;
}

async function fixTask(cell: CellDoc, doc: NotebookDoc, sources: ContextSources, token: string): Promise<string> {
  const label = cellLabel(doc, cell);
  const error = errorText(cell);
  const blocks = [
    dataBlock(token, 'cell', label, `\`\`\`python\n${cutText(cell.source, CELL_CHARS)}\n\`\`\``),
    error ? dataBlock(token, 'error', error.name, error.text) : dataBlock(token, 'error', 'none', 'The cell has no error in its outputs.'),
    dataBlock(token, 'variables', `variables ${label} uses`, await variablesText(cell, sources)),
  ];
  return [
    `Task: fix ${label} (id ${cell.id}) so that it runs without the error below. Call propose_fix once with the whole corrected source of that cell. ` +
      'This turn cannot run cells or change any other cell: the person sees your change as a diff, and the cell runs once they accept it. ' +
      'Keep the fix small and keep what the cell is for; read the notebook or the variables if you need to. Then say in a sentence or two what was wrong and what you changed.',
    dataNotice(token),
    ...blocks,
  ].join('\n\n');
}

function explainTask(cell: CellDoc | null, doc: NotebookDoc, token: string): string {
  const rule = 'Answer in the chat only: this turn can read the notebook, the files and the variables, but cannot change or run anything.';
  if (!cell) return `Task: explain. ${rule}`;
  const label = cellLabel(doc, cell);
  return [
    `Task: explain ${label} (id ${cell.id}) to the person: what its code does and what its output shows (and why, for an error). ${rule}`,
    dataNotice(token),
    dataBlock(token, 'cell', label, shapeCell(cell, { maxChars: CELL_CHARS, vision: false }).text),
  ].join('\n\n');
}

/** The tools, the notebook they act on and the prompt's context for a turn of `request`. */
export async function prepareTurn(request: AgentRequest, notebook: AgentNotebook, sources: ContextSources): Promise<PreparedTurn> {
  const doc = sources.doc();
  const cell = targetCell(request, doc);
  const token = dataToken();
  const attached = attachmentSection(await resolveAttachments(request.context ?? [], sources), token);
  const join = (...parts: string[]) => parts.filter((part) => part !== '').join('\n\n');
  const reading = [readNotebook, listFiles, inspectVariables];
  switch (request.mode ?? 'ask') {
    case 'ask':
      return { tools: createNotebookToolRegistry(), notebook, context: attached };
    case 'explain':
      return {
        tools: createToolRegistry(reading),
        notebook: limitedNotebook(notebook, () => false, 'This turn only explains: it cannot change the notebook.'),
        context: join(explainTask(cell, doc, token), attached),
      };
    case 'fix': {
      if (!cell || cell.cell_type !== 'code') throw new BadRequest('A fix needs the id of a code cell (cell_id)');
      const onlyThisCell = (edits: readonly NotebookEdit[]) =>
        edits.every((edit) => (edit.type === 'set_source' || edit.type === 'set_cell_metadata') && edit.id === cell.id);
      return {
        tools: createToolRegistry([...reading, proposeFixTool(cell.id, cellLabel(doc, cell))]),
        notebook: limitedNotebook(notebook, onlyThisCell, `This turn only proposes a fix of ${cellLabel(doc, cell)}: it cannot change other cells.`),
        context: join(await fixTask(cell, doc, sources, token), attached),
      };
    }
  }
}
