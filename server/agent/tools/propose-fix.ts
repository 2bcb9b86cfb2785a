/**
 * `propose_fix`: the one change a Fix turn may make. It puts the model's new source into the cell being fixed,
 * marked for review (`metadata.cellmate.review` with `run_on_accept`) whoever wrote the cell: the person sees
 * the change as a diff, and accepting it runs the cell (`AgentRunner.review`). It never runs anything itself.
 */
import { z } from 'zod';
import type { CellId } from '../../protocol/index.ts';
import { mergeText } from '../../sessions/text-authority.ts';
import { metadataWithReview } from '../review.ts';
import { findCell } from './cell-tools.ts';
import { defineTool, type AgentTool } from './types.ts';

export function proposeFixTool(cellId: CellId, label: string): AgentTool {
  return defineTool({
    name: 'propose_fix',
    description:
      `Proposes the corrected source of ${label}, the cell being fixed (no other cell can be changed in this turn). ` +
      'The person reviews it as a diff; the cell runs once they accept it. Call it once, with the whole new source.',
    input: z.object({ source: z.string().describe(`The whole corrected source of ${label}.`) }),
    async handler({ source }, ctx) {
      const cell = findCell(ctx, cellId);
      // As edit_cell: merged from the text the model last saw, so what a person typed meanwhile is kept.
      const base = ctx.seen.get(cell.id);
      const merged = base === undefined ? source : mergeText(base, cell.source, source);
      ctx.seen.set(cell.id, merged);
      if (merged === cell.source) return { content: `${label} already has this source; nothing was proposed.`, summary: `no change to ${label}` };
      ctx.notebook.applyEdits([
        { type: 'set_source', id: cell.id, source: merged },
        { type: 'set_cell_metadata', id: cell.id, metadata: metadataWithReview(cell, merged, ctx.turn, ctx.model, { runOnAccept: true }) },
      ]);
      ctx.cellChanged(cell.id, 'edited');
      return {
        content: `The fix of ${label} is proposed: the person sees it as a diff, and the cell runs once they accept it. Now say briefly what was wrong and what you changed.`,
        summary: `proposed a fix for ${label}`,
      };
    },
  });
}
