/**
 * The one place domain errors become HTTP responses: `{ "error": "<clear message>" }` with the error's status.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { EditError } from '../protocol/index.ts';
import { CellmateError } from '../errors.ts';

export function errorResponse(error: Error, c: Context): Response {
  if (error instanceof CellmateError) return c.json({ error: error.message }, error.status);
  if (error instanceof EditError) return c.json({ error: error.message }, error.code === 'unknown_cell' ? 404 : 400);
  if (error instanceof HTTPException) return c.json({ error: error.message || 'Bad request' }, error.status);
  console.error(error);
  return c.json({ error: 'Internal error: see the server log' }, 500);
}
