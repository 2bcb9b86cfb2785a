/**
 * `AgentRunner` on a notebook session (no kernel: these turns only add and edit cells), with the real `openai`
 * client and the fake model server: what the tabs receive and in which order, what a tab opening mid-turn
 * sees, and a notebook closed in the middle of a turn.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientId, conversationFromMetadata, createNotebook, type ServerMessage } from '../../server/protocol/index.ts';
import { providerConfigFromEnv } from '../../server/agent/provider.ts';
import { ProviderSettings } from '../../server/agent/provider-settings.ts';
import { SessionManager } from '../../server/sessions/session-manager.ts';
import { parseNotebook } from '../../server/store/serializer.ts';
import { Workspace } from '../../server/store/storage.ts';
import { reply, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.ts';
import { waitFor } from '../helpers/cellmate.ts';
import { settlesWithin } from '../helpers/hang-guard.ts';
import { noKernels } from '../helpers/no-kernels.ts';

let root: string;
let fake: FakeOpenAIServer;
let sessions: SessionManager;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellmate-agent-runner-'));
  await mkdir(join(root, 'ws'));
  fake = await startFakeOpenAI();
  const provider = new ProviderSettings({ base: providerConfigFromEnv({ OPENAI_BASE_URL: fake.baseURL, CELLMATE_MODEL: 'fake-model', CELLMATE_LLM_MAX_RETRIES: '0' }) });
  sessions = new SessionManager({ workspace: new Workspace(join(root, 'ws')), kernels: noKernels, autosaveMs: 10, watchFiles: false, agent: { provider } });
  await sessions.create('n.ipynb', createNotebook());
});
afterEach(async () => {
  await sessions.dispose();
  await fake.close();
  await rm(root, { recursive: true, force: true });
});

/** A tab that records what the session sends it. */
async function tab() {
  const session = await sessions.open('n.ipynb');
  const messages: ServerMessage[] = [];
  session.connect({ clientId: ClientId.create(), send: (message) => messages.push(message) });
  return { session, runner: sessions.agentRunner(session), messages };
}

describe('AgentRunner', () => {
  it('tells the tabs: the turn’s start, that it runs, every event, the stored conversation, the undoable turn, then done', async () => {
    const { runner, messages } = await tab();
    fake.push(reply.tools({ name: 'add_cell', arguments: { source: 'x = 1', cell_type: 'code', after_cell_id: null } }), reply.text('Added.'));
    const { turn, result } = runner.prompt({ prompt: 'Add x' });
    expect(runner.runningTurn).toBe(turn);
    expect((await result).reply).toBe('Added.');

    // Kernel messages (its failing warm-up here) interleave: only the assistant's and the edits matter.
    const shown = messages.flatMap((m) => (m.type === 'agent' ? [`agent:${m.event.type}`] : m.type === 'edit' ? [`edit:${m.edit.type}`] : m.type === 'agent_state' ? [m.type] : []));
    // The prompt first (a tab recognises its own turn by it), then the state saying it runs.
    expect(shown.slice(0, 2)).toEqual(['agent:turn_start', 'agent_state']);
    expect(messages.find((m) => m.type === 'agent_state')).toMatchObject({ agent: { running: { turn } } });
    // `done` comes last, once the turn is over (a tab may send its next prompt as soon as it hears it).
    const stored = shown.indexOf('edit:set_notebook_metadata');
    expect(shown.slice(stored)).toEqual(['edit:set_notebook_metadata', 'agent_state', 'agent:done']);
    expect(messages.findLast((m) => m.type === 'agent_state')).toEqual({ type: 'agent_state', agent: { undoable: [turn] } });
    expect(messages.at(-1)).toMatchObject({ type: 'agent', event: { type: 'done', turn } });
    expect(runner.runningTurn).toBeNull();
  });

  it('keeps the running turn’s events for a tab that opens mid-turn, text pieces merged', async () => {
    const { session, runner } = await tab();
    fake.push(reply.hang('Let me think about it'));
    const { turn, result } = runner.prompt({ prompt: 'Think' });
    await waitFor('the hanging text', () => session.agentState.running?.events.some((e) => e.type === 'text_delta'));
    const late: ServerMessage[] = [];
    session.connect({ clientId: ClientId.create(), send: (message) => late.push(message) });
    const snapshot = late[0];
    expect(snapshot?.type === 'snapshot' && snapshot.agent).toEqual({
      running: { turn, events: [{ type: 'turn_start', turn, model: 'fake-model', prompt: 'Think' }, { type: 'text_delta', turn, text: 'Let me think about it' }] },
      undoable: [],
    });
    expect(runner.prompt.bind(runner, { prompt: 'Again' })).toThrow(/already working/);
    expect(runner.stop()).toBe(true);
    expect(await result).toMatchObject({ stopped: true, stop_reason: 'aborted', reply: 'Let me think about it' });
  });

  it('stops while the model is still being chosen (a local server slow to list its models)', async () => {
    // Answers nothing, ever, and the client would wait an hour for it: only Stop can end this turn.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const baseURL = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
      const provider = new ProviderSettings({ base: providerConfigFromEnv({ OPENAI_BASE_URL: baseURL, CELLMATE_LLM_MAX_RETRIES: '0', CELLMATE_LLM_TIMEOUT_MS: '3600000' }) });
      const other = new SessionManager({ workspace: new Workspace(join(root, 'ws')), kernels: noKernels, watchFiles: false, agent: { provider } });
      const runner = other.agentRunner(await other.open('n.ipynb'));
      const { result } = runner.prompt({ prompt: 'Hi' });
      await waitFor('the model list request', () => new Promise<boolean>((resolve) => silent.getConnections((_error, count) => resolve(count > 0))));
      expect(runner.stop()).toBe(true);
      expect(await settlesWithin('the stopped turn to end', result)).toMatchObject({ stopped: true, stop_reason: 'aborted', reply: '' });
      await other.dispose();
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('ends a turn when its notebook closes, and saves what it did and said', async () => {
    const { runner } = await tab();
    fake.push(reply.tools({ name: 'add_cell', arguments: { source: 'x = 1', cell_type: 'code', after_cell_id: null } }), reply.hang());
    const { result } = runner.prompt({ prompt: 'Add and wait' });
    await waitFor('the second request', () => fake.chatRequests.length === 2);
    await sessions.close('n.ipynb');
    expect(await result).toMatchObject({ stopped: true, stop_reason: 'aborted' });
    const { doc } = parseNotebook(await readFile(join(root, 'ws', 'n.ipynb'), 'utf8'));
    expect(doc.cells.map((c) => c.source)).toEqual(['', 'x = 1']);
    expect(conversationFromMetadata(doc.metadata).map((e) => e.kind)).toEqual(['user', 'tool', 'turn_end']);
    expect(() => runner.prompt({ prompt: 'After close' })).toThrow(/closing/);
  });
});
