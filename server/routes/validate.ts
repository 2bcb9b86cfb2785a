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

/** `hono/validator` for a JSON body with a zod schema; the handler gets the parsed, typed value. */
export function jsonBody<S extends z.core.$ZodType>(schema: S) {
  return validator('json', async (value, c): Promise<z.infer<S>> => {
    // The validator reads a body of another type as `{}`: refused instead, unless nothing was sent.
    await requireJsonBody(c);
    const parsed = z.safeParse(schema, value);
    if (!parsed.success) throw new BadRequest(`Invalid request body: ${describeIssues(parsed.error)}`);
    return parsed.data;
  });
}
