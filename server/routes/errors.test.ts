import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { NotebookNotFound, PathOutsideWorkspace } from '../errors.ts';
import { errorResponse } from './errors.ts';

const NAME = 'invoice\u202Efdp.ipynb';

function appThrowing(error: Error): Hono {
  const app = new Hono();
  app.get('/', () => {
    throw error;
  });
  app.onError(errorResponse);
  return app;
}

describe('error responses', () => {
  it('write out the bidirectional controls of a quoted name', async () => {
    for (const error of [new NotebookNotFound(`Notebook not found: ${NAME}`), new PathOutsideWorkspace(NAME)]) {
      const response = await appThrowing(error).request('/');
      const text = await response.text();
      expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      expect(((JSON.parse(text) as { error: string }).error)).toContain('invoice<U+202E>fdp.ipynb');
    }
  });

  it('keep everything else of the message and its status', async () => {
    const response = await appThrowing(new NotebookNotFound('Notebook not found: données.ipynb')).request('/');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'Notebook not found: données.ipynb' });
  });
});
