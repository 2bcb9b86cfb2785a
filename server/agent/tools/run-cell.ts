/**
 * `run_cell`: runs a code cell through the notebook's execution queue and answers with its outputs shaped for
 * the model. A run that exceeds the agent's cell timeout is interrupted by the notebook; the model then gets the
 * partial output and a note saying so, so it can make the code faster instead of waiting forever.
 */
import { z } from 'zod';
import { shapeOutputs } from '../context.ts';
import { findCell } from './cell-tools.ts';
import { defineTool, ToolError } from './types.ts';

function seconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export const runCell = defineTool({
  name: 'run_cell',
  description:
    'Runs a code cell in the kernel and returns its status and outputs (long outputs keep their start and end). ' +
    'Variables persist between cells. A run that takes too long is interrupted.',
  input: z.object({ id: z.string().describe('The id of the code cell to run.') }),
  async handler({ id }, ctx) {
    const cell = findCell(ctx, id);
    if (cell.cell_type !== 'code') {
      throw new ToolError('not_code', `Cell ${id} is a ${cell.cell_type} cell; only code cells run.`, 'Run a code cell, or leave markdown cells as they are.');
    }
    const result = await ctx.notebook.runCell(cell.id, { timeoutMs: ctx.cellTimeoutMs, signal: ctx.signal });
    ctx.cellChanged(cell.id, 'ran');

    const shaped = shapeOutputs(result.outputs, { maxChars: ctx.outputChars, vision: ctx.vision, maxImages: 2 });
    const count = result.execution_count === null ? '' : ` [${result.execution_count}]`;
    const lines = [`Cell ${id}${count} finished with status ${result.status}.`, 'Outputs:', shaped.text];
    if (result.timedOut) {
      lines.push(
        `Note: the run took longer than ${seconds(ctx.cellTimeoutMs)}, so the kernel was interrupted; the outputs above ` +
          'are partial. Make the code faster (work on a sample, vectorise, avoid endless loops) or split it into smaller cells.',
      );
    } else if (result.message) {
      lines.push(`Note: ${result.message}`);
    }
    const error = result.outputs.find((o) => o.output_type === 'error');
    const summary = result.timedOut
      ? `cell ${id} timed out after ${seconds(ctx.cellTimeoutMs)}`
      : error
        ? `cell ${id}: ${error.ename}: ${error.evalue}`.slice(0, 200)
        : `ran cell ${id}${count}: ${result.status}`;
    return { content: lines.join('\n'), summary, images: shaped.images };
  },
});
