/**
 * `/api/notebooks`: the public HTTP API for notebooks, cells and execution (see README). `{path}` is the
 * notebook's workspace path URL-encoded as one segment (`a%2Fb.ipynb`).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { CellId, cellIdSchema, cellTypeSchema, codePointLength, completeRequestSchema, createCell, inspectRequestSchema, type NotebookEdit } from '../protocol/index.ts';
import { BadRequest } from '../errors.ts';
import { parseNotebookBytes } from '../store/parse-off-thread.ts';
import { serializeNotebook } from '../store/serializer.ts';
import { requireJsonBody } from './body-guard.ts';
import type { AppDeps } from './deps.ts';
import { jsonBody, queryParams } from './validate.ts';
import { mergeText } from '../sessions/text-authority.ts';
import { exportNotebook } from './export.ts';
import { downloadHeaders } from './files.ts';

const createBody = z.object({ path: z.string().min(1).optional() }).strict();
const addCellBody = z
  .object({ source: z.string(), cell_type: z.optional(cellTypeSchema), index: z.number().int().min(0).optional() })
  .strict();
const patchCellBody = z
  .object({ source: z.string().optional(), cell_type: z.optional(cellTypeSchema), base_source: z.string().optional() })
  .strict()
  .refine((b) => b.source !== undefined || b.cell_type !== undefined, 'give "source" or "cell_type"')
  .refine((b) => b.base_source === undefined || b.source !== undefined, '"base_source" goes with "source"');
/** `?format=` of an export (`ipynb` when absent; export.ts says which it knows). */
const exportQuery = z.object({ format: z.string().optional() });
const executeBody = z.union([
  z.object({ cell_ids: z.array(cellIdSchema).min(1) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

export function notebookRoutes(deps: AppDeps) {
  const { sessions, workspace } = deps;
  const limits = deps.limits ?? workspace.limits;
  return new Hono()
    .get('/', async (c) => c.json(await workspace.listNotebooks()))
    .post('/', jsonBody(createBody), async (c) => {
      const path = await workspace.createNotebook(c.req.valid('json').path);
      return c.json({ path }, 201);
    })
    .get('/:path', async (c) => {
      const session = await sessions.open(c.req.param('path'));
      return c.body(serializeNotebook(session.doc()), 200, { 'content-type': 'application/json; charset=utf-8' });
    })
    .put('/:path', async (c) => {
      const path = workspace.normalize(c.req.param('path'));
      await requireJsonBody(c, { isEmptyAllowed: false });
      // Parsed off the event loop when large (its size was checked before it was read: body-guard.ts).
      const { doc, warnings } = await parseNotebookBytes(new Uint8Array(await c.req.arrayBuffer()), limits);
      const existed = await workspace.exists(path);
      await sessions.create(path, doc);
      return c.json({ path, warnings }, existed ? 200 : 201);
    })
    .delete('/:path', async (c) => {
      const path = workspace.normalize(c.req.param('path'));
      await sessions.deleting(path, () => workspace.deleteNotebook(path));
      return c.body(null, 204);
    })
    .post('/:path/cells', jsonBody(addCellBody), async (c) => {
      const session = await sessions.open(c.req.param('path'));
      const body = c.req.valid('json');
      const cell = createCell(body.cell_type ?? 'code', body.source, CellId.create());
      const index = body.index ?? session.doc().cells.length;
      session.applyPersonEdits([{ type: 'insert_cell', index, cell }], 'api');
      return c.json({ id: cell.id }, 201);
    })
    .patch('/:path/cells/:id', jsonBody(patchCellBody), async (c) => {
      const session = await sessions.open(c.req.param('path'));
      const id = parseCellId(c.req.param('id'));
      const body = c.req.valid('json');
      const edits: NotebookEdit[] = [];
      if (body.cell_type !== undefined) edits.push({ type: 'set_cell_type', id, cell_type: body.cell_type });
      if (body.source !== undefined) {
        // Made from `base_source` (the text as the caller read it): what others typed since is kept.
        const [base, current] = [body.base_source, session.doc().cells.find((cell) => cell.id === id)?.source];
        const source = base !== undefined && current !== undefined ? mergeText(base, current, body.source) : body.source;
        edits.push({ type: 'set_source', id, source });
      }
      const doc = session.applyPersonEdits(edits, 'api');
      return c.json(doc.cells.find((cell) => cell.id === id));
    })
    .delete('/:path/cells/:id', async (c) => {
      const session = await sessions.open(c.req.param('path'));
      session.applyPersonEdits([{ type: 'delete_cell', id: parseCellId(c.req.param('id')) }], 'api');
      return c.body(null, 204);
    })
    // People's cell operations (from tabs or these routes), one step back or forward: `{ "changed" }`.
    .post('/:path/undo', async (c) => {
      const session = await sessions.open(c.req.param('path'));
      return c.json({ changed: session.undo('api') });
    })
    .post('/:path/redo', async (c) => {
      const session = await sessions.open(c.req.param('path'));
      return c.json({ changed: session.redo('api') });
    })
    .post('/:path/execute', jsonBody(executeBody), async (c) => {
      const session = await sessions.open(c.req.param('path'));
      const body = c.req.valid('json');
      const ids = 'all' in body ? session.doc().cells.filter((cell) => cell.cell_type === 'code').map((cell) => cell.id) : body.cell_ids;
      return c.json({ cells: await session.execute(ids) });
    })
    .post('/:path/interrupt', async (c) => {
      const session = await sessions.open(c.req.param('path'));
      await session.interrupt();
      return c.json({ kernel: session.kernelInfo });
    })
    .post('/:path/restart', async (c) => {
      const session = await sessions.open(c.req.param('path'));
      // `?run_all=1`: restart and run every code cell, answering once they have run (like `execute`).
      if (c.req.query('run_all') === '1') {
        const cells = await session.restartAndRunAll();
        return c.json({ kernel: session.kernelInfo, cells });
      }
      await session.restart();
      return c.json({ kernel: session.kernelInfo });
    })
    // What a cell's editor asks the kernel, if one runs (none is started): see protocol/introspect.ts.
    .post('/:path/complete', jsonBody(completeRequestSchema), async (c) => {
      const session = await sessions.open(c.req.param('path'));
      const { code, cursor_pos } = c.req.valid('json');
      return c.json(await session.introspection.complete(code, cursorWithin(code, cursor_pos)));
    })
    .post('/:path/inspect', jsonBody(inspectRequestSchema), async (c) => {
      const session = await sessions.open(c.req.param('path'));
      const { code, cursor_pos, detail_level } = c.req.valid('json');
      return c.json(await session.introspection.inspect(code, cursorWithin(code, cursor_pos), detail_level ?? 0));
    })
    .get('/:path/export', queryParams(exportQuery), async (c) => {
      const session = await sessions.open(c.req.param('path'));
      const file = exportNotebook(session.path, session.doc(), c.req.valid('query').format ?? 'ipynb');
      return c.body(file.body, 200, downloadHeaders(file.filename, file.contentType));
    });
}

/** A cursor (in code points, as Jupyter counts) inside `code`, or a 400. */
function cursorWithin(code: string, cursorPos: number): number {
  const length = codePointLength(code);
  if (cursorPos > length) throw new BadRequest(`cursor_pos ${cursorPos} is past the end of the code (${length} code points)`);
  return cursorPos;
}

function parseCellId(raw: string): CellId {
  if (!CellId.is(raw)) throw new BadRequest(`Invalid cell id: ${JSON.stringify(raw)}`);
  return raw;
}
