/**
 * `GET /api/notebooks/{path}/ws`: one WebSocket per open tab (messages in server/protocol/messages.ts).
 */
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { Hono } from 'hono';
import { upgradeWebSocket } from '@hono/node-server';
import type { WSContext } from 'hono/ws';
import {
  ClientId,
  clientMessageSchema,
  EditError,
  type ClientMessage,
  type ServerMessage,
} from '../protocol/index.ts';
import type { AgentRunner } from '../sessions/agent-runner.ts';
import type { NotebookSession } from '../sessions/notebook-session.ts';
import { textNestsDeeperThan } from '../store/jupyter-json.ts';
import type { AppDeps } from './deps.ts';
import { requireSameOrigin } from './auth.ts';
import { describeIssues } from './validate.ts';
import { TabSender, tabSocket } from './tab-sender.ts';

function send(ws: WSContext, message: ServerMessage): void {
  if (ws.readyState === 1) ws.send(JSON.stringify(message));
}

/** The TCP socket of the upgraded request, when served by Node (`@hono/node-server` passes it in `env`). */
function tcpSocketOf(env: unknown): Socket | undefined {
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return undefined;
  return env.incoming instanceof IncomingMessage && env.incoming.socket instanceof Socket ? env.incoming.socket : undefined;
}

function parseMessage(data: unknown, maxJsonDepth: number): ClientMessage | string {
  if (typeof data !== 'string') return 'Messages must be JSON text';
  // Checked before parsing: deep nesting is slow to parse and would overflow the schema check's stack.
  if (textNestsDeeperThan(data, maxJsonDepth)) return `Messages may nest JSON at most ${maxJsonDepth} levels deep (CELLMATE_MAX_JSON_DEPTH)`;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return 'Messages must be valid JSON';
  }
  const parsed = clientMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : `Invalid message: ${describeIssues(parsed.error)}`;
}

function handle(session: NotebookSession, agent: () => AgentRunner, clientId: ClientId, ws: WSContext, message: ClientMessage): void {
  const fail = (error: unknown) => send(ws, { type: 'error', message: error instanceof Error ? error.message : String(error) });
  /** The assistant's refusals (a turn already running, nothing to undo) go back to this tab only. */
  const tryAgent = (action: (runner: AgentRunner) => void) => {
    try {
      action(agent());
    } catch (error) {
      fail(error);
    }
  };
  switch (message.type) {
    case 'edit':
      try {
        // A group is named by its tab: two tabs picking the same name still make two steps.
        session.applyPersonEdits([message.edit], message.source, { client_id: clientId, seq: message.seq }, message.group && `${clientId} ${message.group}`);
      } catch (error) {
        if (!(error instanceof EditError)) throw error;
        send(ws, { type: 'error', message: error.message, origin: { client_id: clientId, seq: message.seq } });
      }
      return;
    case 'execute':
      // A person at a tab ran it: input() is answered from the tabs.
      session.execute(message.cell_ids, { stdin: true }).catch(fail);
      return;
    case 'input_reply':
      session.answerInput(message.cell_id, message.value);
      return;
    case 'interrupt':
      session.interrupt().catch(fail);
      return;
    case 'restart':
      session.restart().catch(fail);
      return;
    case 'restart_run_all':
      session.restartAndRunAll({ stdin: true }).catch(fail);
      return;
    case 'ping':
      send(ws, { type: 'pong' });
      return;
    case 'agent_prompt':
      // Every tab follows the turn through the session's broadcast; nothing extra goes to the sender.
      tryAgent((runner) => {
        const { type: _type, ...request } = message;
        runner.prompt(request);
      });
      return;
    case 'agent_stop':
      tryAgent((runner) => runner.stop());
      return;
    case 'agent_undo':
      tryAgent((runner) => runner.undo(message.turn, 'ui'));
      return;
    case 'agent_review':
      tryAgent((runner) => runner.review(message.cell_id, message.decision, 'ui'));
      return;
    case 'undo':
      // Nothing left to undo (or redo) is no error: the key just does nothing, as in an editor.
      session.undo(message.source);
      return;
    case 'redo':
      session.redo(message.source);
      return;
    case 'text_update':
    case 'text_pull':
      try {
        session.receiveText(message, (reply) => send(ws, reply));
      } catch (error) {
        fail(error);
      }
      return;
    case 'resolve_conflict':
      session.resolveConflict(message.choice).catch(fail);
      return;
  }
}

export function notebookSocketRoutes(deps: AppDeps) {
  const { maxJsonDepth } = deps.limits ?? deps.workspace.limits;
  return new Hono().get(
    '/:path/ws',
    requireSameOrigin(),
    upgradeWebSocket(async (c) => {
      const session = await deps.sessions.open(c.req.param('path') ?? '');
      const clientId = ClientId.create();
      const transport = tcpSocketOf(c.env);
      let disconnect: (() => void) | undefined;
      let sender: TabSender | undefined;
      return {
        onOpen(_event, ws) {
          // Broadcasts go through a sender that holds back output updates while this client can't keep up.
          const tab = (sender = new TabSender(tabSocket(ws, transport)));
          disconnect = session.connect({ clientId, send: (message) => tab.send(message), close: (code, reason) => ws.close(code, reason) });
        },
        onMessage(event, ws) {
          const message = parseMessage(event.data, maxJsonDepth);
          if (typeof message === 'string') return send(ws, { type: 'error', message });
          // The page's keep-alive ping is no use of the server (an open tab nobody touches is idle).
          if (message.type !== 'ping') deps.onActivity?.();
          handle(session, () => deps.sessions.agentRunner(session), clientId, ws, message);
        },
        onClose() {
          sender?.dispose();
          disconnect?.();
        },
        onError() {
          sender?.dispose();
          disconnect?.();
        },
      };
    }),
  );
}
