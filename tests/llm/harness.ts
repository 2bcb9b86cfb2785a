/**
 * What agent scenarios share: a notebook behind the `AgentNotebook` interface (in memory here; the notebook
 * session with a real kernel can be swapped in through `NotebookFactory`), the real `openai` client configured
 * the way the server configures it (from env-style settings), and the events of a turn.
 */
import type OpenAI from 'openai';
import { expect } from 'vitest';
import type { AgentEvent, CellDoc, ConversationEntry } from '../../server/protocol/index.ts';
import { createProviderClient, providerConfigFromEnv } from '../../server/agent/provider.ts';
import { runAgentTurn, type AgentLimits, type AgentTurnResult } from '../../server/agent/loop.ts';
import type { AgentNotebook } from '../../server/agent/types.ts';
import { messageText, type ChatRequest } from './fake-openai-server.ts';
import { MemoryNotebook, type ScriptedRun } from './memory-notebook.ts';

/** A notebook for a scenario. A real-kernel harness ignores `runs`: its kernel really runs the code. */
export interface NotebookHarness {
  notebook: AgentNotebook;
  /** How many times the kernel was interrupted. */
  interrupts(): number;
  /** True while a cell runs. */
  isRunning(): boolean;
  dispose(): Promise<void>;
}

export interface NotebookSetup {
  cells?: CellDoc[];
  /** Source → what a Python kernel does with it (only used by the in-memory notebook). */
  runs?: Record<string, ScriptedRun>;
  /** Start the kernel before the scenario, for scenarios that run code (a real kernel takes a moment). */
  warm?: boolean;
}

export type NotebookFactory = (setup: NotebookSetup) => Promise<NotebookHarness>;

export const memoryNotebookFactory: NotebookFactory = async (setup) => {
  const notebook = new MemoryNotebook({ ...(setup.cells ? { cells: setup.cells } : {}), runs: setup.runs ?? {} });
  return { notebook, interrupts: () => notebook.interrupts, isRunning: () => notebook.isRunning, dispose: async () => undefined };
};

/** The client as the server builds it from the environment, pointed at the fake server. */
export function clientFor(baseURL: string, env: Record<string, string> = {}): OpenAI {
  const config = providerConfigFromEnv({
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: baseURL,
    CELLMATE_MODEL: 'fake-model',
    CELLMATE_LLM_MAX_RETRIES: '2',
    CELLMATE_LLM_TIMEOUT_MS: '10000',
    ...env,
  });
  const client = createProviderClient(config);
  if (!client) throw new Error('the test configuration should configure a client');
  return client;
}

export interface TurnRun extends AgentTurnResult {
  events: AgentEvent[];
  elapsedMs: number;
}

/** Runs one turn and checks the event stream's shape: one `turn_start` first, one `done` last. */
export async function runTurn(options: {
  client: OpenAI;
  notebook: AgentNotebook;
  prompt: string;
  history?: ConversationEntry[];
  limits?: Partial<AgentLimits>;
  signal?: AbortSignal;
  model?: string;
  vision?: boolean;
  onEvent?: (event: AgentEvent) => void;
}): Promise<TurnRun> {
  const events: AgentEvent[] = [];
  const started = performance.now();
  const result = await runAgentTurn({
    client: options.client,
    model: options.model ?? 'fake-model',
    notebook: options.notebook,
    history: options.history ?? [],
    prompt: options.prompt,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.vision ? { vision: true } : {}),
    limits: { cellTimeoutMs: 30_000, ...options.limits },
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  expect(events[0]?.type).toBe('turn_start');
  expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
  expect(events.at(-1)?.type).toBe('done');
  return { ...result, events, elapsedMs: performance.now() - started };
}

/** The text of the tool messages of a request, in order. */
export function toolTexts(request: ChatRequest | undefined): string[] {
  return (request?.messages ?? []).filter((m) => m.role === 'tool').map(messageText);
}

/** The id of the cell the latest `add_cell` result in this request names. */
export function addedCellId(request: ChatRequest): string {
  const added = toolTexts(request).reverse().map((t) => /^Added \w+ cell (\S+)/.exec(t)?.[1]).find(Boolean);
  if (!added) throw new Error('no add_cell result in the request');
  return added;
}

/** The events of one type, typed. */
export function eventsOf<T extends AgentEvent['type']>(events: AgentEvent[], type: T): Extract<AgentEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
}
