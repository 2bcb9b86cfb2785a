/**
 * The REST resources the pages use: the notebook list, create, delete, export, and (for scripts and fallbacks)
 * execute / interrupt / restart. An open notebook talks over its socket instead (see `notebook-socket.ts`).
 */
import { apiFetch, apiJson, isRecord } from './http.ts';
import type { CellId } from '../../../server/protocol/ids.ts';

export interface NotebookSummary {
  path: string;
  name: string;
  last_modified: string;
}

/** `{path}` in the API is the workspace path encoded as ONE segment (slashes included). */
export function notebookApiPath(path: string): string {
  return `/api/notebooks/${encodeURIComponent(path)}`;
}

function isNotebookSummary(value: unknown): value is NotebookSummary {
  return isRecord(value) && typeof value.path === 'string' && typeof value.name === 'string' && typeof value.last_modified === 'string';
}

export async function listNotebooks(): Promise<NotebookSummary[]> {
  const body = await apiJson('/api/notebooks');
  if (!Array.isArray(body)) throw new Error('Unexpected answer from the server: the notebook list is not a list');
  return body.filter(isNotebookSummary);
}

/** Creates a notebook (the server picks a free name when `path` is omitted) and returns its workspace path. */
export async function createNotebook(path?: string): Promise<string> {
  const body = await apiJson('/api/notebooks', { method: 'POST', body: JSON.stringify(path === undefined ? {} : { path }) });
  if (!isRecord(body) || typeof body.path !== 'string') throw new Error('Unexpected answer from the server: no path for the new notebook');
  return body.path;
}

export async function deleteNotebook(path: string): Promise<void> {
  await apiFetch(notebookApiPath(path), { method: 'DELETE' });
}

/** The nbformat JSON as stored; also used to tell "not found" from "server down" when the socket fails. */
export async function fetchNotebookFile(path: string): Promise<unknown> {
  return apiJson(notebookApiPath(path));
}

export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** Reads `filename*=UTF-8''…` (preferred) or `filename="…"` from a Content-Disposition header. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A malformed escape: try the plain form below.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(header);
  const name = (plain?.[1] ?? plain?.[2])?.trim();
  return name ? name : null;
}

export async function executeCells(path: string, cellIds: CellId[] | 'all'): Promise<void> {
  const body = cellIds === 'all' ? { all: true } : { cell_ids: cellIds };
  await apiFetch(`${notebookApiPath(path)}/execute`, { method: 'POST', body: JSON.stringify(body) });
}

export async function interruptKernel(path: string): Promise<void> {
  await apiFetch(`${notebookApiPath(path)}/interrupt`, { method: 'POST' });
}

export async function restartKernel(path: string): Promise<void> {
  await apiFetch(`${notebookApiPath(path)}/restart`, { method: 'POST' });
}
