/**
 * A tool is data: a name, a description for the model, a zod schema of its input and a handler. `defineTool`
 * wraps one so the registry can hold tools of different inputs in one list and validate before calling.
 */
import { z } from 'zod';
import type { CellChange, CellId } from '../../protocol/index.ts';
import type { ModelImage } from '../context.ts';
import type { AgentNotebook } from '../types.ts';

/** What a handler gets besides its input. */
export interface ToolContext {
  notebook: AgentNotebook;
  /** The turn id, written into the metadata of cells the agent writes. */
  turn: string;
  model: string;
  /** Aborted when the person presses Stop or the turn runs out of time. */
  signal: AbortSignal;
  /** Interrupt a cell run by the agent after this long. */
  cellTimeoutMs: number;
  /** Characters a tool's result may take in the model's context. */
  outputChars: number;
  /** Whether the model accepts images. */
  vision: boolean;
  /** Tells the turn that a cell changed (becomes a `cell_changed` event). */
  cellChanged(id: CellId, change: CellChange): void;
  /**
   * Each cell's source as the model last saw it (the turn's overview, `read_notebook`, its own writes): what
   * `edit_cell` merges from, so that what a person typed meanwhile is kept. A cell not in it is replaced whole.
   */
  seen: Map<CellId, string>;
}

/** A handler's answer: `content` goes to the model, `summary` (one line) to the person. */
export interface ToolOutcome {
  content: string;
  summary: string;
  /** Images for a vision model, sent after the tool results. */
  images?: ModelImage[];
}

/**
 * An expected failure a handler reports to the model (an unknown cell id, a markdown cell asked to run): the
 * model reads `message` and `fix` and tries again. Anything else a handler throws is reported the same way.
 */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** A tool as written: its input type flows from the schema into the handler. */
export interface ToolSpec<S extends z.ZodObject> {
  name: string;
  description: string;
  /** Strict-compatible: every field required, optional ones as `.nullable()`; no transforms. */
  input: S;
  handler(input: z.output<S>, ctx: ToolContext): Promise<ToolOutcome>;
}

/** A tool as the registry holds it. `run` validates `args` first and throws `ToolError` when they don't fit. */
export interface AgentTool {
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodObject;
  run(args: unknown, ctx: ToolContext): Promise<ToolOutcome>;
}

/**
 * @example
 *   export const deleteCell = defineTool({
 *     name: 'delete_cell',
 *     description: 'Deletes a cell.',
 *     input: z.object({ id: z.string() }),
 *     async handler({ id }, ctx) { … return { content: `Deleted cell ${id}.`, summary: `deleted ${id}` }; },
 *   });
 */
export function defineTool<S extends z.ZodObject>(spec: ToolSpec<S>): AgentTool {
  return {
    name: spec.name,
    description: spec.description,
    input: spec.input,
    async run(args, ctx) {
      const parsed = spec.input.safeParse(args);
      if (!parsed.success) {
        throw new ToolError(
          'invalid_arguments',
          `The arguments of ${spec.name} don't fit its schema:\n${z.prettifyError(parsed.error)}`,
          `Call ${spec.name} again with every field of its schema present (use null for a field you don't need).`,
        );
      }
      return spec.handler(parsed.data, ctx);
    },
  };
}
