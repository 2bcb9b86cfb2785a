/**
 * The workspace's files (`/api/files`): list, upload with progress, folders, rename or move, delete, download,
 * and notebook exports. Paths go in the URL segment by segment, each URL-encoded (`data/sales 1.csv` →
 * `/api/files/data/sales%201.csv`).
 */
import * as z from 'zod/mini';
import { appUrl } from './base-path.ts';
import { ApiError, authHeaders, isRecord, NetworkError, reportUnauthorized, UnauthorizedError } from './http.ts';
import { api, expectAnswer } from './client.ts';
import { filenameFromDisposition, type DownloadedFile } from './notebooks.ts';

import { createdPathSchema, fileListingSchema, fileMoveSchema, type FileKind, type FileListing } from '../../../server/protocol/resources.ts';

export type { FileKind, FileListing };

export type ExportFormat = 'ipynb' | 'py' | 'html';

export function fileApiPath(path: string): string {
  return `/api/files/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** One file or folder: the typed client's `:path` (put in the URL as given, so encoded segment by segment). */
const file = api.files[':path{[^]+}'];
const fileParam = (path: string) => ({ path: path.split('/').map(encodeURIComponent).join('/') });

/** One folder's entries (not recursive); `''` is the workspace's top folder. */
export async function listFolder(folder: string): Promise<FileListing[]> {
  return expectAnswer(z.array(fileListingSchema), await (await api.files.$get({ query: { path: folder } })).json(), 'the folder listing');
}

export async function makeFolder(path: string): Promise<void> {
  const answer = await file.$post({ param: fileParam(path), query: { kind: 'directory' } });
  expectAnswer(createdPathSchema, await answer.json(), 'no path for the new folder');
}

/** Renames or moves; the server refuses (409) when something already has the new name. */
export async function renamePath(from: string, to: string): Promise<void> {
  const answer = await api.files.rename.$post({ json: { from, to } });
  expectAnswer(fileMoveSchema, await answer.json(), 'not a rename');
}

export async function deletePath(path: string): Promise<void> {
  await file.$delete({ param: fileParam(path) });
}

export async function downloadFile(path: string): Promise<DownloadedFile> {
  const response = await file.$get({ param: fileParam(path) });
  const fallback = path.split('/').pop() || 'download';
  return { blob: await response.blob(), filename: filenameFromDisposition(response.headers.get('Content-Disposition')) ?? fallback };
}

/** The notebook as `.ipynb`, a percent-format `.py` script, or a self-contained `.html` page. */
export async function exportNotebookAs(path: string, format: ExportFormat): Promise<DownloadedFile> {
  const response = await api.notebooks[':path'].export.$get({ param: { path: encodeURIComponent(path) }, query: { format } });
  const stem = (path.split('/').pop() ?? 'notebook').replace(/\.ipynb$/, '');
  return { blob: await response.blob(), filename: filenameFromDisposition(response.headers.get('Content-Disposition')) ?? `${stem}.${format}` };
}

/**
 * Uploads one file's bytes as the request body, reporting progress. XMLHttpRequest, not the typed client: fetch
 * can't report upload progress. Rejects like `apiFetch`: `ApiError` with the server's message (413 when too large).
 */
export function uploadFile(path: string, file: Blob, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', appUrl(fileApiPath(path)));
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let message = `${xhr.status} ${xhr.statusText}`.trim();
      try {
        const body: unknown = JSON.parse(xhr.responseText);
        if (isRecord(body) && typeof body.error === 'string') message = body.error;
      } catch {
        // Not JSON: keep the status line.
      }
      if (xhr.status === 401) {
        reportUnauthorized();
        return reject(new UnauthorizedError(message));
      }
      reject(new ApiError(xhr.status, message));
    };
    xhr.onerror = () => reject(new NetworkError('The upload was interrupted: the server could not be reached'));
    xhr.onabort = () => reject(new NetworkError('The upload was cancelled'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
