/**
 * A notebook as an MCP client reads it: each cell with its id, version, type, run state and author, its source
 * and its outputs shaped to a character budget the way the built-in assistant's are (`../agent/context.ts`:
 * long outputs keep their head and tail, tracebacks lose their colour codes, tables and charts become
 * descriptions), and images as MCP image content.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CellDoc, NotebookDoc } from '../protocol/index.ts';
import { allocate, shapeOutputs, type ModelImage } from '../agent/context.ts';
import { cellmateMetadata } from '../agent/review.ts';
import { cutText } from '../agent/text-shaping.ts';
import { cellVersion } from './batch-edits.ts';

type Content = CallToolResult['content'][number];

function authorOf(cell: CellDoc): string {
  const marks = cellmateMetadata(cell);
  if (marks['author'] !== 'agent') return 'written by a person';
  const client = marks['client'];
  return typeof client === 'string' ? `written by ${client} (an agent over MCP)` : "written by Cellmate's assistant";
}

function runState(cell: CellDoc): string {
  if (cell.cell_type !== 'code') return '';
  if (cell.execution_count === null && cell.outputs.length === 0) return ' · not run';
  const failed = cell.outputs.some((o) => o.output_type === 'error');
  return ` · ${failed ? 'error' : 'ran'} [${cell.execution_count ?? ' '}]`;
}

/** The line that opens a cell: `### cell 3fa2b1c0 · version 9c1e… · code · ran [2] · written by a person`. */
export function cellHeader(cell: CellDoc): string {
  return `### cell ${cell.id} · version ${cellVersion(cell)} · ${cell.cell_type}${runState(cell)} · ${authorOf(cell)}`;
}

function shapeOne(cell: CellDoc, maxChars: number, maxImages: number): { text: string; images: ModelImage[] } {
  const header = cellHeader(cell);
  const source = cutText(cell.source, Math.max(300, Math.floor(maxChars * 0.4)));
  if (cell.cell_type !== 'code') return { text: `${header}\n${source || '(empty)'}`, images: [] };
  const body = `${header}\n\`\`\`python\n${source}\n\`\`\``;
  if (cell.outputs.length === 0) return { text: body, images: [] };
  const outputs = shapeOutputs(cell.outputs, { maxChars: Math.max(200, maxChars - body.length - 10), vision: maxImages > 0, maxImages });
  return { text: `${body}\noutputs:\n${outputs.text}`, images: outputs.images };
}

/** `data:image/png;base64,…` as MCP image content. */
export function imageContent(image: ModelImage): Content {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(image.url);
  return { type: 'image', mimeType: match?.[1] ?? 'image/png', data: match?.[2] ?? '' };
}

/**
 * The cells (all of the notebook's, or those asked for) within `maxChars` of text and `maxImages` images, the
 * budget split among cells as among outputs (short ones whole, long ones share the rest).
 */
export function shapeRead(path: string, doc: NotebookDoc, cells: readonly CellDoc[], options: { maxChars: number; maxImages: number }): Content[] {
  const showing = cells.length === doc.cells.length ? '' : `, showing ${cells.length}`;
  const header =
    `Notebook ${JSON.stringify(path)}: ${doc.cells.length} cell${doc.cells.length === 1 ? '' : 's'}${showing}. ` +
    'Give a cell its version when you edit or delete it.';
  if (cells.length === 0) return [{ type: 'text', text: `${header}\n\n(no cells)` }];
  const full = cells.map((cell) => shapeOne(cell, options.maxChars, 0).text.length);
  const shares = allocate(full, options.maxChars - header.length - cells.length * 2);
  const images: ModelImage[] = [];
  const texts = cells.map((cell, i) => {
    const shaped = shapeOne(cell, Math.max(shares[i]!, 300), options.maxImages - images.length);
    images.push(...shaped.images);
    return shaped.text;
  });
  return [{ type: 'text', text: `${header}\n\n${texts.join('\n\n')}` }, ...images.map(imageContent)];
}
