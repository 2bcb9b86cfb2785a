/**
 * Body validation at the edge: a body that is not JSON is a 415, malformed JSON and schema failures a 400
 * naming what is wrong. (Size and nesting are checked before, for every body: body-guard.ts.)
 */
import { validator } from 'hono/validator';
import { z } from 'zod';
import { BadRequest } from '../errors.ts';
import { requireJsonBody } from './body-guard.ts';

export function describeIssues(error: { issues: readonly z.core.$ZodIssue[] }): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/**
 * `hono/validator` for a JSON body with a zod schema; the handler gets the parsed, typed value. `isEmptyAllowed:
 * false` refuses an empty body with no JSON type (415) as `requireJsonBody` does.
 */
export function jsonBody<S extends z.core.$ZodType>(schema: S, options: { isEmptyAllowed?: boolean } = {}) {
  return validator('json', async (value, c): Promise<z.infer<S>> => {
    // The validator reads a body of another type as `{}`: refused instead, unless nothing was sent.
    await requireJsonBody(c, options);
    const parsed = z.safeParse(schema, value);
    if (!parsed.success) throw new BadRequest(`Invalid request body: ${describeIssues(parsed.error)}`);
    return parsed.data;
  });
}

/**
 * `hono/validator` for the query with a zod schema. A parameter given twice counts once, its first value (as
 * `c.req.query(name)` reads it); a failure is a 400 naming the parameter.
 */
export function queryParams<S extends z.core.$ZodType>(schema: S) {
  return validator('query', (value): z.infer<S> => {
    const first = Object.fromEntries(Object.entries(value).map(([name, given]) => [name, Array.isArray(given) ? given[0] : given]));
    const parsed = z.safeParse(schema, first);
    if (!parsed.success) throw new BadRequest(`Invalid query: ${describeIssues(parsed.error)}`);
    return parsed.data;
  });
}
