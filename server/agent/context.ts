/**
 * What the model sees of a notebook: outputs shaped to a character budget (a token is about 4 characters),
 * cells with their ids, and a one-line-per-cell overview. Everything here is pure, so it is tested by itself.
 */
import { assertNever, type CellDoc, type JSONValue, type MimeBundle, type NotebookDoc, type Output } from '../protocol/index.ts';
import { describeDataFrame, describeImage, describeVegaLite, isDataFrameHtml } from './mime-describe.ts';
import { cutText, htmlToText, stripAnsi } from './text-shaping.ts';

/** An image for a vision model, sent as an `image_url` part. */
export interface ModelImage {
  /** `data:image/png;base64,…` */
  url: string;
  description: string;
}

export interface ShapeOptions {
  /** The most characters the text may take. */
  maxChars: number;
  /** Whether the model accepts images; otherwise images become short descriptions. */
  vision: boolean;
  /** The most images to attach (vision only); further ones are described. */
  maxImages?: number;
}

export interface ShapedOutputs {
  text: string;
  images: ModelImage[];
}

/** Above this many outputs (a loop that displays in each pass), only the first and last ones are shown. */
const MAX_OUTPUTS = 40;
const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

function textOf(value: JSONValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  return undefined;
}

function renderBundle(data: MimeBundle, options: ShapeOptions, images: ModelImage[], budget: number): string {
  const plain = textOf(data['text/plain']);
  const vegaMime = Object.keys(data).find((m) => /^application\/vnd\.vegalite\.v\d+\+json$/.test(m));
  if (vegaMime) return describeVegaLite(data[vegaMime] ?? null, vegaMime);
  const vegaSpec = Object.keys(data).find((m) => /^application\/vnd\.vega\.v\d+\+json$/.test(m));
  if (vegaSpec) return `[vega chart (${vegaSpec})]`;
  const imageMime = IMAGE_MIMES.find((m) => typeof data[m] === 'string');
  if (imageMime) {
    const base64 = textOf(data[imageMime]) ?? '';
    const description = describeImage(imageMime, base64, plain);
    if (options.vision && images.length < (options.maxImages ?? 4)) {
      images.push({ url: `data:${imageMime};base64,${base64.replace(/\s+/g, '')}`, description });
      return `${description} (attached as an image)`;
    }
    return description;
  }
  const html = textOf(data['text/html']);
  if (html && isDataFrameHtml(html)) return describeDataFrame(html, plain, budget);
  const markdown = textOf(data['text/markdown']);
  if (markdown !== undefined) return markdown;
  // pandas Stylers, rich reprs: a plain text repr, when there is one, reads better than stripped HTML.
  if (plain !== undefined && !/^<[\w.]+ object at 0x[0-9a-f]+>$/.test(plain.trim())) return plain;
  if (html !== undefined) return htmlToText(html);
  if (plain !== undefined) return plain;
  const latex = textOf(data['text/latex']);
  if (latex !== undefined) return latex;
  if (data['application/json'] !== undefined) return JSON.stringify(data['application/json']);
  return `[output of type ${Object.keys(data).join(', ') || 'none'}]`;
}

function renderOutput(output: Output, options: ShapeOptions, images: ModelImage[], budget: number): string {
  switch (output.output_type) {
    case 'stream':
      return output.name === 'stderr' ? `[stderr]\n${stripAnsi(output.text)}` : stripAnsi(output.text);
    case 'error':
      return `[error] ${output.ename}: ${stripAnsi(output.evalue)}\n${stripAnsi(output.traceback.join('\n'))}`;
    case 'execute_result':
      return `[result]\n${renderBundle(output.data, options, images, budget)}`;
    case 'display_data':
      return renderBundle(output.data, options, images, budget);
    default:
      return assertNever(output, 'output');
  }
}

/**
 * Splits `total` characters among texts of the given lengths: short ones get all they need, long ones share
 * the rest equally (so one huge output can't crowd out a short error after it).
 */
export function allocate(lengths: readonly number[], total: number): number[] {
  const shares: number[] = lengths.map(() => 0);
  const order = lengths.map((length, index) => ({ length, index })).sort((a, b) => a.length - b.length);
  let remaining = total;
  order.forEach(({ length, index }, position) => {
    const fair = Math.floor(remaining / (order.length - position));
    shares[index] = Math.min(length, fair);
    remaining -= shares[index]!;
  });
  return shares;
}

/**
 * A cell's outputs as text for the model, within `maxChars`. Long outputs keep their head and tail with a note
 * of what was cut; tracebacks lose their colour codes; rich outputs become descriptions (and images, for a
 * vision model).
 */
export function shapeOutputs(outputs: readonly Output[], options: ShapeOptions): ShapedOutputs {
  if (outputs.length === 0) return { text: '(no output)', images: [] };
  let shown: readonly Output[] = outputs;
  let skippedNote = '';
  if (outputs.length > MAX_OUTPUTS) {
    const half = MAX_OUTPUTS / 2;
    shown = [...outputs.slice(0, half), ...outputs.slice(-half)];
    skippedNote = `[… ${outputs.length - MAX_OUTPUTS} outputs cut …]`;
  }
  const images: ModelImage[] = [];
  const perOutput = Math.max(200, Math.floor(options.maxChars / shown.length));
  const rendered = shown.map((output) => renderOutput(output, options, images, perOutput));
  const separators = rendered.length + (skippedNote ? 2 : 0);
  const shares = allocate(
    rendered.map((r) => r.length),
    Math.max(0, options.maxChars - separators - skippedNote.length),
  );
  const texts = rendered.map((text, i) => cutText(text, Math.max(shares[i]!, 120)));
  if (skippedNote) texts.splice(MAX_OUTPUTS / 2, 0, skippedNote);
  return { text: texts.join('\n'), images };
}

function authorOf(cell: CellDoc): string {
  const cellmate = cell.metadata['cellmate'];
  if (typeof cellmate === 'object' && cellmate !== null && !Array.isArray(cellmate) && cellmate['author'] === 'agent') {
    return 'written by you (the agent)';
  }
  return 'written by the person';
}

function outputStatus(cell: CellDoc): string {
  if (cell.cell_type !== 'code') return '';
  if (cell.execution_count === null && cell.outputs.length === 0) return 'not run';
  const failed = cell.outputs.some((o) => o.output_type === 'error');
  return `${failed ? 'error' : 'ran'} [${cell.execution_count ?? ' '}]`;
}

/**
 * One cell for `read_notebook`: a header with its id, type, run state and author, its source, its outputs.
 *
 * @example
 *   ### cell 3fa2b1c0 · code · ran [2] · written by the person
 *   ```python
 *   df.describe()
 *   ```
 *   outputs:
 *   [result] …
 */
export function shapeCell(cell: CellDoc, options: ShapeOptions): ShapedOutputs {
  const state = outputStatus(cell);
  const header = `### cell ${cell.id} · ${cell.cell_type}${state ? ` · ${state}` : ''} · ${authorOf(cell)}`;
  const sourceBudget = Math.max(300, Math.floor(options.maxChars * 0.4));
  const source = cutText(cell.source, sourceBudget);
  if (cell.cell_type !== 'code') return { text: `${header}\n${source || '(empty)'}`, images: [] };
  const body = `${header}\n\`\`\`python\n${source}\n\`\`\``;
  if (cell.outputs.length === 0) return { text: body, images: [] };
  const outputs = shapeOutputs(cell.outputs, { ...options, maxChars: Math.max(200, options.maxChars - body.length - 10) });
  return { text: `${body}\noutputs:\n${outputs.text}`, images: outputs.images };
}

/** Cells for `read_notebook`, the budget split among them the same way as among outputs. */
export function shapeCells(cells: readonly CellDoc[], options: ShapeOptions): ShapedOutputs {
  if (cells.length === 0) return { text: '(the notebook has no cells)', images: [] };
  const full = cells.map((cell) => shapeCell(cell, { ...options, vision: false }).text.length);
  const shares = allocate(full, options.maxChars - cells.length * 2);
  const images: ModelImage[] = [];
  const texts = cells.map((cell, i) => {
    const shaped = shapeCell(cell, { ...options, maxChars: Math.max(shares[i]!, 300), maxImages: (options.maxImages ?? 4) - images.length });
    images.push(...shaped.images);
    return shaped.text;
  });
  return { text: texts.join('\n\n'), images };
}

/**
 * The notebook in a few lines, sent with the person's prompt so the model knows the cell ids without a tool
 * call: `- 3fa2b1c0 · code · ran [2] · import pandas as pd (+3 lines)`.
 */
export function notebookOverview(doc: NotebookDoc, path: string, maxChars = 3000): string {
  const lines = doc.cells.map((cell) => {
    const [first = '', ...rest] = cell.source.split('\n');
    const more = rest.length > 0 ? ` (+${rest.length} lines)` : '';
    const state = outputStatus(cell);
    const firstLine = first.length > 100 ? `${first.slice(0, 100)}…` : first;
    return `- ${cell.id} · ${cell.cell_type}${state ? ` · ${state}` : ''} · ${firstLine || '(empty)'}${more}`;
  });
  const header = `The notebook ${JSON.stringify(path)} has ${doc.cells.length} cell${doc.cells.length === 1 ? '' : 's'}:`;
  return cutText([header, ...lines].join('\n'), maxChars);
}
