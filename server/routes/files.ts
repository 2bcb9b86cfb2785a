/**
 * `/api/files`: the workspace's files (see README). `{path}` is the workspace path as a URL path — each segment
 * URL-encoded (`data/sales%202024.csv`); an encoded slash works too (`data%2Fsales.csv`, as for notebooks).
 * Every path is checked by `Workspace.resolve` before anything is read or written.
 */
import { Hono } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import { z } from 'zod';
import { BadRequest } from '../errors.ts';
import type { CreatedPath, FileListing, FileMove } from '../protocol/resources.ts';
import { WorkspaceFiles, type OpenedFile } from '../store/workspace-files.ts';
import type { AppDeps } from './deps.ts';
import { jsonBody, queryParams } from './validate.ts';

/** 100 MiB: room for real data files, a stop for a runaway upload. `CELLMATE_MAX_UPLOAD_BYTES` changes it. */
export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 2 ** 20;
const CHUNK_BYTES = 256 * 1024;

const renameBody = z.object({ from: z.string().min(1), to: z.string().min(1) }).strict();
/** `?path=` of a listing (the top folder when absent); `?kind=directory` of a POST that makes a folder. */
const listQuery = z.object({ path: z.string().optional() });
const kindQuery = z.object({ kind: z.string().optional() });

/** `attachment` with both the plain (ASCII-safe) and the RFC 5987 UTF-8 file name. */
export function attachment(filename: string): string {
  const plain = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Headers that keep a downloaded file from ever running in our origin: it is a download, its type is not
 * guessed, and should a browser render it anyway, the CSP sandbox gives it an opaque origin and no scripts.
 */
export function downloadHeaders(filename: string, contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-disposition': attachment(filename),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
    'cache-control': 'no-store',
  };
}

/** A file handle as a web stream, read in chunks as the client takes them; the handle is closed at the end. */
function streamOf(file: OpenedFile): ReadableStream<Uint8Array> {
  const { handle } = file;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { bytesRead, buffer } = await handle.read(new Uint8Array(CHUNK_BYTES), 0, CHUNK_BYTES, null);
        if (bytesRead === 0) {
          controller.close();
          await handle.close();
        } else {
          controller.enqueue(buffer.subarray(0, bytesRead));
        }
      } catch (error) {
        await handle.close().catch(() => undefined);
        controller.error(error);
      }
    },
    cancel: () => handle.close(),
  });
}

function declaredLength(header: string | undefined): number | undefined {
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

export function fileRoutes(deps: AppDeps) {
  const { sessions } = deps;
  const files = new WorkspaceFiles(deps.workspace);
  const maxBytes = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;

  const makeFolder = async (path: string): Promise<CreatedPath> => ({ path: await files.makeFolder(path) });

  return new Hono()
    .get('/', queryParams(listQuery), async (c) => {
      const listing: FileListing[] = await files.list(c.req.valid('query').path ?? '');
      return c.json(listing);
    })
    .post(
      '/rename',
      async (c, next) => {
        // A folder may be called "rename" too: with ?kind=directory this is a create like any other path (its
        // type is the `{path}` route's, below, so a rename's own call sends no query).
        if (c.req.query('kind') === 'directory') return c.json(await makeFolder('rename'), 201);
        await next();
      },
      jsonBody(renameBody, { isEmptyAllowed: false }),
      async (c) => {
        const { from, to } = c.req.valid('json');
        const moved: FileMove = await sessions.moving(from, to, () => files.rename(from, to));
        return c.json(moved);
      },
    )
    .get('/:path{[^]+}', async (c) => {
      const file = await files.openRead(c.req.param('path'));
      const type = getMimeType(file.name) ?? 'application/octet-stream';
      return c.body(streamOf(file), 200, { ...downloadHeaders(file.name, type), 'content-length': String(file.size), 'last-modified': new Date(file.last_modified).toUTCString() });
    })
    .put('/:path{[^]+}', async (c) => {
      const declaredBytes = declaredLength(c.req.header('content-length'));
      const options = declaredBytes === undefined ? { maxBytes } : { maxBytes, declaredBytes };
      const uploaded = await files.upload(c.req.param('path'), c.req.raw.body, options);
      return c.json({ path: uploaded.path, size: uploaded.size }, uploaded.created ? 201 : 200);
    })
    .post('/:path{[^]+}', queryParams(kindQuery), async (c) => {
      if (c.req.valid('query').kind !== 'directory') {
        throw new BadRequest('POST /api/files/{path}?kind=directory makes a folder; POST /api/files/rename { from, to } renames');
      }
      return c.json(await makeFolder(c.req.param('path')), 201);
    })
    .delete('/:path{[^]+}', async (c) => {
      const path = c.req.param('path');
      await sessions.deleting(path, () => files.remove(path));
      return c.body(null, 204);
    });
}
