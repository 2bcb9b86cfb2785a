/**
 * `GET /api/notebooks/{path}/export?format=…`: the notebook as a download.
 */
import type { NotebookDoc } from '../protocol/index.ts';
import { BadRequest } from '../errors.ts';
import { serializeNotebook } from '../store/serializer.ts';

export interface ExportedFile {
  filename: string;
  contentType: string;
  body: string;
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export function exportNotebook(path: string, doc: NotebookDoc, format: string): ExportedFile {
  switch (format) {
    case 'ipynb':
      return { filename: baseName(path), contentType: 'application/x-ipynb+json', body: serializeNotebook(doc) };
    default:
      throw new BadRequest(`Unknown export format ${JSON.stringify(format)}: use format=ipynb`);
  }
}
