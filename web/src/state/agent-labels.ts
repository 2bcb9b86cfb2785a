/** How the assistant's steps, usage and problems read in the chat panel; pure so the wording is tested in node. */
import type { AgentErrorCode, AgentStopReason, TokenUsage } from '../../../server/protocol/agent.ts';
import { CellId } from '../../../server/protocol/ids.ts';
import type { TurnStep } from './agent-turns.ts';

interface ToolWords {
  doing: string;
  done: string;
  /** Whether the words are about one cell ("Editing cell [3]"). */
  aboutCell: boolean;
}

const TOOL_WORDS: Record<string, ToolWords> = {
  read_notebook: { doing: 'Reading the notebook', done: 'Read the notebook', aboutCell: false },
  add_cell: { doing: 'Adding', done: 'Added', aboutCell: true },
  edit_cell: { doing: 'Editing', done: 'Edited', aboutCell: true },
  delete_cell: { doing: 'Deleting', done: 'Deleted', aboutCell: true },
  run_cell: { doing: 'Running', done: 'Ran', aboutCell: true },
  list_files: { doing: 'Listing files', done: 'Listed files', aboutCell: false },
  inspect_variables: { doing: 'Looking at variables', done: 'Looked at variables', aboutCell: false },
};

export interface StepLabel {
  /** e.g. "Running cell [3]", "Adding a cell", "Looked at variables". */
  text: string;
  /** The cell the step is about, when it is known and still in the notebook. */
  cellId: CellId | null;
  inProgress: boolean;
}

/** The id the step names: reported by the server, in the parsed arguments, or in the saved short form. */
function stepCellId(step: TurnStep): string | null {
  if (step.cellId) return step.cellId;
  const { args } = step;
  if (args !== null && typeof args === 'object' && !Array.isArray(args) && typeof args['id'] === 'string') return args['id'];
  // Saved steps keep `id="ab12"` (the server's summary of the arguments), and `added cell ab12` for new cells.
  const saved = /(?:^|, )id="([^"]+)"/.exec(step.argsText) ?? /^added cell (\S+)/.exec(step.summary ?? '');
  return saved?.[1] ?? null;
}

/**
 * @param cellNumber the 1-based position of a cell in the notebook, or null when it is not there (deleted).
 * @example
 *   stepLabel(step, (id) => index.get(id) ?? null) // { text: 'Running cell [3]', cellId: 'ab12', inProgress: true }
 */
export function stepLabel(step: TurnStep, cellNumber: (id: CellId) => number | null): StepLabel {
  const inProgress = step.status === 'writing' || step.status === 'running';
  const words = TOOL_WORDS[step.name] ?? { doing: `Using ${step.name || 'a tool'}`, done: `Used ${step.name}`, aboutCell: false };
  // A step the turn's end cut short never got done: it keeps its "-ing" words.
  const verb = step.status === 'ok' || step.status === 'error' ? words.done : words.doing;
  if (!words.aboutCell) return { text: verb, cellId: null, inProgress };
  const id = stepCellId(step);
  const cellId = id !== null && CellId.is(id) ? id : null;
  const number = cellId === null ? null : cellNumber(cellId);
  return { text: number === null ? `${verb} a cell` : `${verb} cell [${number}]`, cellId: number === null ? null : cellId, inProgress };
}

const count = (n: number) => n.toLocaleString('en-US');

/** e.g. "1,234 prompt · 56 completion tokens". */
export function formatUsage(usage: TokenUsage): string {
  return `${count(usage.prompt_tokens)} prompt · ${count(usage.completion_tokens)} completion tokens`;
}

/** A hint about the configuration for the errors it can fix; the panel adds the server's `help` after it. */
export function errorHint(code: AgentErrorCode | null): string | null {
  switch (code) {
    case 'not_configured':
      return 'No model is configured.';
    case 'auth':
      return 'The provider refused the API key: check OPENAI_API_KEY (and OPENAI_BASE_URL), then restart Cellmate.';
    default:
      return null;
  }
}

/** Why a turn ended early, in words (an error says it itself). */
export function stopReasonText(reason: AgentStopReason | null): string | null {
  switch (reason) {
    case 'aborted':
      return 'Stopped.';
    case 'max_steps':
      return 'Stopped: the turn reached its step limit.';
    case 'timeout':
      return 'Stopped: the turn took too long.';
    case 'max_tokens':
      return 'Stopped: the turn used its token budget.';
    case 'error':
    case null:
      return null;
  }
}

/** What an agent outside Cellmate changed so far, e.g. "added 2 cells, edited 1" (the noun goes with the first count). */
export function externalChangesText(counts: { added: number; edited: number; deleted: number }): string {
  const parts = (['added', 'edited', 'deleted'] as const).filter((kind) => counts[kind] > 0).map((kind) => ({ kind, count: counts[kind] }));
  const [first, ...rest] = parts;
  if (!first) return 'changed nothing yet';
  const noun = first.count === 1 ? 'cell' : 'cells';
  return [`${first.kind} ${first.count} ${noun}`, ...rest.map((part) => `${part.kind} ${part.count}`)].join(', ');
}
