/**
 * The assistant over HTTP (see README): the model provider's status, models and configuration under
 * `/api/agent`, and a notebook's turns under `/api/notebooks/{path}/agent`. A turn started here is the same turn
 * the tabs see live; a client that goes away from its event stream does not stop it (Stop is explicit).
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { agentRequestSchema, cellIdSchema, type AgentEvent } from '../protocol/index.ts';
import type { AgentTurnResult } from '../agent/loop.ts';
import { mentionsOf } from '../agent/mentions.ts';
import { providerChangeSchema } from '../agent/provider-settings.ts';
import type { AppDeps } from './deps.ts';
import { EventQueue } from './event-queue.ts';
import { jsonBody } from './validate.ts';

const undoBody = z.object({ turn: z.string().min(1) }).strict();
const reviewBody = z.object({ cell_id: cellIdSchema, decision: z.enum(['accept', 'reject']) }).strict();

/** The `?wait=1` answer: the turn's result without the conversation entries (the notebook keeps those). */
function turnAnswer(result: AgentTurnResult) {
  const { entries: _kept, ...answer } = result;
  return answer;
}

const wants = (value: string | undefined) => value === '1' || value === 'true';

export function agentRoutes(deps: AppDeps) {
  const { sessions } = deps;
  const runnerOf = async (path: string) => sessions.agentRunner(await sessions.open(path));

  return new Hono()
    .get('/agent/status', async (c) => c.json(await sessions.agentProvider.status()))
    .get('/agent/models', async (c) => c.json({ models: await sessions.agentProvider.models() }))
    .put('/agent/config', jsonBody(providerChangeSchema), async (c) => c.json(await sessions.agentProvider.update(c.req.valid('json'))))
    .post('/notebooks/:path/agent', jsonBody(agentRequestSchema), async (c) => {
      const runner = await runnerOf(c.req.param('path'));
      const request = c.req.valid('json');
      if (wants(c.req.query('wait'))) {
        const { result } = runner.prompt(request);
        return c.json(turnAnswer(await result));
      }
      // Started before the response, so a refused prompt is a plain 409; the events wait in the queue meanwhile.
      const queue = new EventQueue<AgentEvent>((event) => event.type === 'done');
      runner.prompt(request, (event) => queue.push(event));
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => queue.close());
        for await (const event of queue) await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
      });
    })
    .get('/notebooks/:path/agent', async (c) => {
      const runner = await runnerOf(c.req.param('path'));
      return c.json({ running: runner.runningTurn, undoable: runner.undoable });
    })
    .get('/notebooks/:path/agent/mentions', async (c) => {
      // What `@` offers: the notebook's folder and the running kernel's variables (none is started for this).
      const session = await sessions.open(c.req.param('path'));
      return c.json(await mentionsOf({ listFiles: () => session.listFiles(), evaluateIfRunning: (code, options) => session.evaluateIfRunning(code, options) }));
    })
    .post('/notebooks/:path/agent/stop', async (c) => {
      // Only an open notebook can have a running turn: nothing is loaded to answer no.
      const session = await sessions.get(c.req.param('path'));
      return c.json({ stopped: session ? sessions.agentRunner(session).stop() : false });
    })
    .post('/notebooks/:path/agent/undo', jsonBody(undoBody), async (c) => {
      const runner = await runnerOf(c.req.param('path'));
      const { turn } = c.req.valid('json');
      runner.undo(turn, 'api');
      return c.json({ turn, undoable: runner.undoable });
    })
    .post('/notebooks/:path/agent/review', jsonBody(reviewBody), async (c) => {
      const runner = await runnerOf(c.req.param('path'));
      const { cell_id, decision } = c.req.valid('json');
      return c.json(runner.review(cell_id, decision, 'api'));
    });
}
