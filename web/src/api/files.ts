/**
 * The workspace's files (`/api/files`): list, upload with progress, folders, rename or move, delete, download,
 * and notebook exports. Paths go in the URL segment by segment, each URL-encoded (`data/sales 1.csv` →
 * `/api/files/data/sales%201.csv`).
 */
import * as z from 'zod/mini';
import { ApiError, apiFetch, apiJson, authHeaders, isRecord, NetworkError, reportUnauthorized, UnauthorizedError } from './http.ts';
import { expectAnswer } from './client.ts';
import { filenameFromDisposition, notebookApiPath, type DownloadedFile } from './notebooks.ts';

import { fileListingSchema, type FileKind, type FileListing } from '../../../server/protocol/resources.ts';

export type { FileKind, FileListing };

export type ExportFormat = 'ipynb' | 'py' | 'html';

export function fileApiPath(path: string): string {
  return `/api/files/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * One folder's entries (not recursive); `''` is the workspace's top folder. Through `apiJson`, not the typed
 * client: the route reads `?path=` itself, so the client has no type for it.
 */
export async function listFolder(folder: string): Promise<FileListing[]> {
  return expectAnswer(z.array(fileListingSchema), await apiJson(`/api/files?path=${encodeURIComponent(folder)}`), 'the folder listing');
}

export async function makeFolder(path: string): Promise<void> {
  await apiFetch(`${fileApiPath(path)}?kind=directory`, { method: 'POST' });
}

/** Renames or moves; the server refuses (409) when something already has the new name. */
export async function renamePath(from: string, to: string): Promise<void> {
  await apiFetch('/api/files/rename', { method: 'POST', body: JSON.stringify({ from, to }) });
}

export async function deletePath(path: string): Promise<void> {
  await apiFetch(fileApiPath(path), { method: 'DELETE' });
}

export async function downloadFile(path: string): Promise<DownloadedFile> {
  const response = await apiFetch(fileApiPath(path));
  const fallback = path.split('/').pop() || 'download';
  return { blob: await response.blob(), filename: filenameFromDisposition(response.headers.get('Content-Disposition')) ?? fallback };
}

/** The notebook as `.ipynb`, a percent-format `.py` script, or a self-contained `.html` page. */
export async function exportNotebookAs(path: string, format: ExportFormat): Promise<DownloadedFile> {
  const response = await apiFetch(`${notebookApiPath(path)}/export?format=${format}`);
  const stem = (path.split('/').pop() ?? 'notebook').replace(/\.ipynb$/, '');
  return { blob: await response.blob(), filename: filenameFromDisposition(response.headers.get('Content-Disposition')) ?? `${stem}.${format}` };
}

/**
 * Uploads one file's bytes as the request body, reporting progress (fetch can't report upload progress, so
 * this uses XMLHttpRequest). Rejects like `apiFetch`: `ApiError` with the server's message (413 when too large).
 */
export function uploadFile(path: string, file: Blob, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', fileApiPath(path));
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
