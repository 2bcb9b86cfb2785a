/**
 * Inline completion over HTTP (see server/agent/inline-completion.ts): the setting under
 * `/api/agent/inline-completion`, and one suggestion for a cell's cursor at
 * `POST /api/notebooks/{path}/inline-complete`. The request's signal goes to the model request, so a page that
 * aborts its fetch (the person typed on) cancels the model's work too.
 */
import { Hono } from 'hono';
import { codePointLength, toUtf16, type JSONObject } from '../protocol/index.ts';
import { inlineCompleteRequestSchema, inlineCompletionChangeSchema } from '../protocol/inline-completion.ts';
import { InlineCompleter, InlineCompletionOff } from '../agent/inline-completion.ts';
import { inlineContext } from '../agent/inline-prompt.ts';
import { BadRequest, CellNotFound } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { jsonBody } from './validate.ts';

/** The notebook's language as its metadata names it (the kernel's), Python when it doesn't. */
function languageOf(metadata: JSONObject): string {
  const info = metadata['language_info'];
  const name = info && typeof info === 'object' && !Array.isArray(info) ? info['name'] : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name.slice(0, 40) : 'python';
}

/** Mounted at `/api`. Without `deps.inlineCompleter` it is off, on the assistant's provider. */
export function inlineCompletionRoutes(deps: AppDeps) {
  const completer = deps.inlineCompleter ?? new InlineCompleter({ provider: deps.sessions.agentProvider });
  return new Hono()
    .get('/agent/inline-completion', (c) => c.json({ mode: completer.mode }))
    .put('/agent/inline-completion', jsonBody(inlineCompletionChangeSchema), async (c) => c.json({ mode: await completer.setMode(c.req.valid('json').mode) }))
    .post('/notebooks/:path/inline-complete', jsonBody(inlineCompleteRequestSchema), async (c) => {
      // Refused before the notebook is even opened.
      if (completer.mode === 'off') throw new InlineCompletionOff();
      const { cell_id, code, cursor_pos } = c.req.valid('json');
      const length = codePointLength(code);
      if (cursor_pos > length) throw new BadRequest(`cursor_pos ${cursor_pos} is past the end of the code (${length} code points)`);
      const session = await deps.sessions.open(c.req.param('path'));
      const doc = session.doc();
      if (!doc.cells.some((cell) => cell.id === cell_id)) throw new CellNotFound(`No cell ${cell_id} in ${session.path}`);
      const context = inlineContext(doc.cells, cell_id, code, toUtf16(code, cursor_pos), languageOf(doc.metadata));
      return c.json(await completer.complete(context, c.req.raw.signal));
    });
}
