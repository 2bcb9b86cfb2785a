/**
 * The assistant's records over HTTP (see README): the project's rules and the `AGENTS.md` offered for import,
 * the price table, a notebook's conversations (list, new, rename, switch, delete), its usage and cost, and what
 * each turn sent to the model.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { conversationsFromMetadata, priceTableSchema, turnIdSchema, usageReport } from '../protocol/index.ts';
import { rulesBodySchema } from '../agent/project-files.ts';
import { BadRequest, NotFound } from '../errors.ts';
import { changeConversation, createConversation, deleteConversation, listConversations } from '../sessions/conversation-ops.ts';
import type { AppDeps } from './deps.ts';
import { jsonBody } from './validate.ts';

const title = z.string().max(200);
const newBody = z.object({ title: title.optional() }).strict();
const changeBody = z
  .object({ title: title.optional(), active: z.literal(true).optional() })
  .strict()
  .refine((body) => body.title !== undefined || body.active !== undefined, 'give a title, active: true, or both');
const conversationId = z.string().regex(/^c-[0-9a-z-]{1,40}$/);

export function assistantRoutes(deps: AppDeps) {
  const { sessions } = deps;
  const files = sessions.projectFiles;
  const opened = async (path: string) => {
    const session = await sessions.open(path);
    return { session, runner: sessions.agentRunner(session) };
  };
  const idOf = (value: string) => {
    const parsed = conversationId.safeParse(value);
    if (!parsed.success) throw new BadRequest(`Not a conversation id: ${value}`);
    return parsed.data;
  };

  return new Hono()
    .get('/agent/rules', async (c) => c.json(await files.rulesAnswer()))
    .put('/agent/rules', jsonBody(rulesBodySchema), async (c) => c.json(await files.setRules(c.req.valid('json').text)))
    .get('/agent/prices', async (c) => c.json(await files.prices()))
    .put('/agent/prices', jsonBody(priceTableSchema), async (c) => c.json(await files.setPrices(c.req.valid('json'))))
    .get('/notebooks/:path/agent/conversations', async (c) => {
      const { session, runner } = await opened(c.req.param('path'));
      return c.json(listConversations(session, runner.runningConversation));
    })
    .post('/notebooks/:path/agent/conversations', jsonBody(newBody), async (c) => {
      const { session, runner } = await opened(c.req.param('path'));
      const id = createConversation(session, c.req.valid('json').title ?? '', 'api');
      return c.json({ id, ...listConversations(session, runner.runningConversation) }, 201);
    })
    .patch('/notebooks/:path/agent/conversations/:id', jsonBody(changeBody), async (c) => {
      const { session, runner } = await opened(c.req.param('path'));
      changeConversation(session, idOf(c.req.param('id')), c.req.valid('json'), 'api');
      return c.json(listConversations(session, runner.runningConversation));
    })
    .delete('/notebooks/:path/agent/conversations/:id', async (c) => {
      const { session, runner } = await opened(c.req.param('path'));
      deleteConversation(session, idOf(c.req.param('id')), runner.runningConversation, 'api');
      return c.json(listConversations(session, runner.runningConversation));
    })
    .get('/notebooks/:path/agent/usage', async (c) => {
      const { session } = await opened(c.req.param('path'));
      const { table } = await files.prices();
      return c.json(usageReport(conversationsFromMetadata(session.doc().metadata).conversations, table));
    })
    .get('/notebooks/:path/agent/turns/:turn', async (c) => {
      const { session, runner } = await opened(c.req.param('path'));
      const parsed = turnIdSchema.safeParse(c.req.param('turn'));
      if (!parsed.success) throw new BadRequest(`Not a turn id: ${c.req.param('turn')}`);
      const turn = parsed.data;
      // Only a turn of this notebook: its conversations name it, or it is running in it now.
      const isHere = runner.runningTurn === turn || conversationsFromMetadata(session.doc().metadata).conversations.some((conv) => conv.entries.some((e) => e.turn === turn));
      const log = isHere ? await runner.turnLog(turn) : null;
      if (!log) throw new NotFound(`No record of what turn ${turn} sent is kept for ${session.path}`);
      return c.json(log);
    });
}
