/**
 * The one place domain errors become HTTP responses: `{ "error": "<clear message>" }` with the error's status.
 * Messages quote names as they came; their bidirectional controls are written out (`<U+202E>`), since JSON
 * leaves them raw and a terminal or page would reorder the text around them.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { EditError, escapeBidiControls } from '../protocol/index.ts';
import { CellmateError } from '../errors.ts';

export function errorResponse(error: Error, c: Context): Response {
  if (error instanceof CellmateError) return c.json({ error: escapeBidiControls(error.message) }, error.status);
  if (error instanceof EditError) return c.json({ error: escapeBidiControls(error.message) }, error.code === 'unknown_cell' ? 404 : 400);
  if (error instanceof HTTPException) return c.json({ error: escapeBidiControls(error.message) || 'Bad request' }, error.status);
  console.error(error);
  return c.json({ error: 'Internal error: see the server log' }, 500);
}
