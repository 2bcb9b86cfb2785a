/**
 * `GET /api/notebooks/{path}/export?format=ipynb|py|html`: the notebook as a download — the `.ipynb` itself, a
 * percent-format Python script, or a self-contained HTML page with the outputs (see `server/export/`).
 */
import type { NotebookDoc } from '../protocol/index.ts';
import { BadRequest } from '../errors.ts';
import { toHtmlPage, toPercentScript } from '../export/index.ts';
import { serializeNotebook } from '../store/serializer.ts';

export interface ExportedFile {
  filename: string;
  contentType: string;
  body: string;
}

export const EXPORT_FORMATS = ['ipynb', 'py', 'html'] as const;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const stem = (path: string) => baseName(path).replace(/\.ipynb$/, '');

export function exportNotebook(path: string, doc: NotebookDoc, format: string): ExportedFile {
  switch (format) {
    case 'ipynb':
      return { filename: baseName(path), contentType: 'application/x-ipynb+json', body: serializeNotebook(doc) };
    case 'py':
      return { filename: `${stem(path)}.py`, contentType: 'text/x-python; charset=utf-8', body: toPercentScript(doc) };
    case 'html':
      return { filename: `${stem(path)}.html`, contentType: 'text/html; charset=utf-8', body: toHtmlPage(doc, baseName(path)) };
    default:
      throw new BadRequest(`Unknown export format ${JSON.stringify(format)}: use format=${EXPORT_FORMATS.join(', format=')}`);
  }
}
