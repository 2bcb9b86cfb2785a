/**
 * Body validation at the edge: malformed JSON and schema failures become a 400 naming what is wrong.
 */
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { BadRequest } from '../errors.ts';

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** `hono/validator` for a JSON body with a zod schema; the handler gets the parsed, typed value. */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return validator('json', (value): z.infer<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new BadRequest(`Invalid request body: ${describeIssues(parsed.error)}`);
    return parsed.data;
  });
}
