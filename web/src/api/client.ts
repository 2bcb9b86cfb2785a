/**
 * The REST API through Hono's typed client: paths, parameters and bodies are checked against the server's routes
 * (`AppType`) at compile time. Every request goes through `apiFetch` (the token, and one error path), and an
 * answer is checked with the protocol's schema it was built from before the page trusts it.
 */
import { hc } from 'hono/client';
import type * as z from 'zod/mini';
import type { AppType } from '../../../server/routes/app.ts';
import { apiFetch } from './http.ts';

export const api = hc<AppType>('/', { fetch: (input: RequestInfo | URL, init?: RequestInit) => apiFetch(String(input), init) }).api;

/** `value` as `schema` reads it, or an error naming what the answer lacks (a proxy's page, another version). */
export function expectAnswer<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  throw new Error(`Unexpected answer from the server: ${what} (${issues.join('; ')})`);
}
