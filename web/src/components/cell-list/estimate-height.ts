/**
 * A cell's height before it has been on screen, guessed from the document: its lines of source and its outputs.
 * Only a first guess for the scrollbar and for where unrendered cells sit; a cell is measured once it renders and
 * keeps that height (measurements are keyed by cell id), so a guess that is off moves the scrollbar a little the
 * first time, and never again. The numbers follow the page's CSS (notebook.css, outputs.css, editor/theme.ts).
 */
import type { CellDoc, Output } from '../../../../server/protocol/notebook.ts';

/** The cell's padding, the editor's border and the editor's own padding. */
const CELL_CHROME = 32;
/** One line of code: 13.5 px type at line-height 1.5. */
const CODE_LINE = 20;
/** One line of rendered markdown (body text at 1.6). */
const MARKDOWN_LINE = 24;
/** One line of printed output. */
const OUTPUT_LINE = 19;
/** The padding around one output. */
const OUTPUT_CHROME = 10;
/** Images, charts and HTML are as tall as their content, which the document does not say: a typical figure. */
const FIGURE = 320;
/** Long text shows its end (render/long-text.ts), so its height is capped. */
const MAX_OUTPUT_LINES = 60;
const MAX_SOURCE_LINES = 400;

function lineCount(text: string, cap: number): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0 && lines < cap; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

function outputHeight(output: Output): number {
  switch (output.output_type) {
    case 'stream':
      return OUTPUT_CHROME + OUTPUT_LINE * lineCount(output.text.replace(/\n$/, ''), MAX_OUTPUT_LINES);
    case 'error':
      return OUTPUT_CHROME + OUTPUT_LINE * Math.min(MAX_OUTPUT_LINES, output.traceback.length * 3);
    case 'display_data':
    case 'execute_result': {
      const data = output.data;
      const isFigure = Object.keys(data).some((mime) => mime.startsWith('image/') || mime === 'text/html' || mime.includes('vega'));
      if (isFigure) return FIGURE;
      const text = data['text/plain'];
      return OUTPUT_CHROME + OUTPUT_LINE * lineCount(typeof text === 'string' ? text : '', MAX_OUTPUT_LINES);
    }
  }
}

/**
 * The guessed height of `cell` in pixels. `isEditing` is whether a markdown cell shows its source (otherwise it
 * shows rendered).
 */
export function estimateCellHeight(cell: CellDoc, isEditing = false): number {
  const lines = lineCount(cell.source, MAX_SOURCE_LINES);
  if (cell.cell_type === 'markdown' && !isEditing) return 16 + MARKDOWN_LINE * lines;
  const outputs = cell.cell_type === 'code' ? cell.outputs : [];
  let height = CELL_CHROME + CODE_LINE * lines;
  for (const output of outputs) height += outputHeight(output);
  return height;
}
