/**
 * The REST resources the pages use: the notebook list, create, delete, export, and (for scripts and fallbacks)
 * execute / interrupt / restart. An open notebook talks over its socket instead (see `notebook-socket.ts`).
 */
import * as z from 'zod/mini';
import { apiJson } from './http.ts';
import { api, expectAnswer } from './client.ts';
import type { CellId } from '../../../server/protocol/ids.ts';
import { notebookSummarySchema, type NotebookSummary } from '../../../server/protocol/resources.ts';

export type { NotebookSummary };

/** `{path}` in the API is the workspace path encoded as ONE segment (slashes included). */
export function notebookApiPath(path: string): string {
  return `/api/notebooks/${encodeURIComponent(path)}`;
}

/** The same, as the typed client's `:path` parameter (which it puts in the URL as given). */
const notebookParam = (path: string) => ({ path: encodeURIComponent(path) });

export async function listNotebooks(): Promise<NotebookSummary[]> {
  return expectAnswer(z.array(notebookSummarySchema), await (await api.notebooks.$get()).json(), 'the notebook list');
}

const createdSchema = z.object({ path: z.string() });

/** Creates a notebook (the server picks a free name when `path` is omitted) and returns its workspace path. */
export async function createNotebook(path?: string): Promise<string> {
  const answer = await api.notebooks.$post({ json: path === undefined ? {} : { path } });
  return expectAnswer(createdSchema, await answer.json(), 'no path for the new notebook').path;
}

export async function deleteNotebook(path: string): Promise<void> {
  await api.notebooks[':path'].$delete({ param: notebookParam(path) });
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
  const json = cellIds === 'all' ? { all: true as const } : { cell_ids: cellIds };
  await api.notebooks[':path'].execute.$post({ param: notebookParam(path), json });
}

export async function interruptKernel(path: string): Promise<void> {
  await api.notebooks[':path'].interrupt.$post({ param: notebookParam(path) });
}

export async function restartKernel(path: string): Promise<void> {
  await api.notebooks[':path'].restart.$post({ param: notebookParam(path) });
}
