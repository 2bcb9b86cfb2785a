/**
 * What the API accepts as a request body, checked before a handler reads it:
 * - its size: `CELLMATE_MAX_BODY_BYTES` for JSON, `CELLMATE_MAX_NOTEBOOK_BYTES` for a notebook put whole. Over
 *   it is a 413 at once, before the body is read whole: from its Content-Length, or counted as it streams in
 *   when it comes chunked. File uploads are raw bytes streamed to disk against `CELLMATE_MAX_UPLOAD_BYTES`
 *   (files.ts), so they pass here untouched.
 * - its nesting: JSON deeper than `CELLMATE_MAX_JSON_DEPTH` is a 400 before it is parsed (notebooks: in the
 *   parser, off the event loop).
 * - its type: an endpoint that reads JSON refuses a body of another type with 415 (`requireJsonBody`), rather
 *   than reading it as `{}` as `hono/validator` does.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { BadRequest, PayloadTooLarge, UnsupportedMediaType } from '../errors.ts';
import type { InputLimits } from '../limits.ts';
import { textNestsDeeperThan } from '../store/jupyter-json.ts';
import { formatBytes } from '../store/workspace-files.ts';

/** The media types `hono/validator` parses as JSON (`application/json`, `application/*+json`), in any case. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_MEDIA_TYPE.test(contentType.split(';')[0]!.trim());
}

type BodyKind = 'upload' | 'notebook' | 'json';

/** Which rule a request's body falls under, from its method and its path under `/api`. */
function bodyKind(method: string, path: string): BodyKind {
  if (method !== 'PUT') return 'json';
  if (/^\/api\/files\/[\s\S]/.test(path)) return 'upload';
  return /^\/api\/notebooks\/[^/]+$/.test(path) ? 'notebook' : 'json';
}

/** The size and nesting limits of every API request body (see the header). */
export function guardBodies(limits: InputLimits): MiddlewareHandler {
  const tooLarge = (what: string, max: number, setting: string) => () => {
    throw new PayloadTooLarge(`${what} are limited to ${formatBytes(max)} (${setting})`);
  };
  const jsonLimit = bodyLimit({ maxSize: limits.maxBodyBytes, onError: tooLarge('Request bodies', limits.maxBodyBytes, 'CELLMATE_MAX_BODY_BYTES') });
  const notebookLimit = bodyLimit({ maxSize: limits.maxNotebookBytes, onError: tooLarge('Notebooks', limits.maxNotebookBytes, 'CELLMATE_MAX_NOTEBOOK_BYTES') });
  const depthLimit: MiddlewareHandler = async (c, next) => {
    if (isJsonContentType(c.req.header('content-type')) && textNestsDeeperThan(await c.req.text(), limits.maxJsonDepth)) {
      throw new BadRequest(`The request body nests JSON deeper than ${limits.maxJsonDepth} levels (CELLMATE_MAX_JSON_DEPTH)`);
    }
    await next();
  };
  return async (c, next) => {
    // Not `c.req.raw.body === null`: on Node, touching `body` turns the request into a web stream, and reading
    // it back costs more than the rest of a small API call. Without it, `c.req.text()` reads the socket directly.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    switch (bodyKind(c.req.method, c.req.path)) {
      case 'upload':
        return next();
      case 'notebook':
        return notebookLimit(c, next);
      case 'json': {
        // Read and measured here; the handler's validator parses the same text. A declared length is checked
        // before reading (Node's parser reads no more than that); a chunked body is counted as it streams in.
        const declared = declaredLength(c);
        if (declared === undefined) {
          return jsonLimit(c, async () => {
            await depthLimit(c, next);
          });
        }
        if (declared > limits.maxBodyBytes) return tooLarge('Request bodies', limits.maxBodyBytes, 'CELLMATE_MAX_BODY_BYTES')();
        return depthLimit(c, next);
      }
    }
  };
}

/** The body's Content-Length, unless it is absent, malformed or overridden by a Transfer-Encoding. */
function declaredLength(c: Context): number | undefined {
  const length = c.req.header('content-length');
  if (length === undefined || c.req.header('transfer-encoding') !== undefined || !/^\d+$/.test(length)) return undefined;
  return Number(length);
}

/**
 * For an endpoint that reads JSON: a 415 for a body of another type. An empty body with no JSON type passes
 * (`POST /api/notebooks` with nothing sent makes an `Untitled` notebook, as before); `isEmptyAllowed: false`
 * refuses that too (a notebook must be sent).
 */
export async function requireJsonBody(c: Context, options: { isEmptyAllowed?: boolean } = {}): Promise<void> {
  const contentType = c.req.header('content-type');
  if (isJsonContentType(contentType)) return;
  if (options.isEmptyAllowed !== false && (await isEmpty(c.req.raw.body))) return;
  throw new UnsupportedMediaType(`Send JSON with Content-Type: application/json (this body was sent as ${contentType ? JSON.stringify(contentType) : 'no type'})`);
}

/** Whether a body has no bytes; reads no further than its first non-empty chunk. */
async function isEmpty(body: ReadableStream<Uint8Array> | null): Promise<boolean> {
  if (body === null) return true;
  const reader = body.getReader();
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return true;
    if (chunk.value.byteLength > 0) {
      await reader.cancel().catch(() => undefined);
      return false;
    }
  }
}
