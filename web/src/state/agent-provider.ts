/**
 * The model provider as the chat panel sees it: the server's status (configured or how to configure), the
 * models for the picker, this person's choice of model, and switching to a local server Cellmate detected.
 * A Solid service: create it inside a component (it owns signals) and read its accessors.
 */
import { createSignal, type Accessor } from 'solid-js';
import { fetchAgentModels, fetchAgentStatus, updateAgentConfig, type AgentConfigChange, type AgentStatus } from '../api/agent.ts';
import { ApiError, UnauthorizedError } from '../api/http.ts';

const MODEL_KEY = 'cellmate.agent.model';

export interface AgentProvider {
  /** `null` until the first answer. */
  status: Accessor<AgentStatus | null>;
  /** Why the status could not be read (the server has no assistant, or can't be reached). */
  problem: Accessor<string | null>;
  models: Accessor<string[]>;
  /** Why the model list could not be read (the endpoint is down): the picker then offers the configured model only. */
  modelsProblem: Accessor<string | null>;
  /** The model the next prompt uses: this person's choice when the endpoint serves it, else the server's. */
  model: Accessor<string | null>;
  chooseModel(model: string): void;
  /** A request to the server is under way (buttons wait for it). */
  busy: Accessor<boolean>;
  refresh(): Promise<void>;
  /** Points the server at a detected local server and model (`PUT /api/agent/config`). */
  configure(change: AgentConfigChange): Promise<void>;
}

function readChoice(): string | null {
  try {
    return localStorage.getItem(MODEL_KEY);
  } catch {
    return null;
  }
}

function saveChoice(model: string): void {
  try {
    localStorage.setItem(MODEL_KEY, model);
  } catch {
    // Storage refused (private mode, quota): the choice lasts for this page only.
  }
}

function describe(error: unknown): string {
  if (error instanceof ApiError && error.status === 404) return 'This Cellmate server has no assistant.';
  return error instanceof Error ? error.message : String(error);
}

export function createAgentProvider(): AgentProvider {
  const [status, setStatus] = createSignal<AgentStatus | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [models, setModels] = createSignal<string[]>([]);
  const [modelsProblem, setModelsProblem] = createSignal<string | null>(null);
  const [choice, setChoice] = createSignal<string | null>(readChoice());
  const [busy, setBusy] = createSignal(false);

  const loadModels = async (current: AgentStatus) => {
    if (!current.configured) {
      setModels([]);
      return;
    }
    try {
      setModels(await fetchAgentModels());
      setModelsProblem(null);
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      setModels([]);
      setModelsProblem(describe(error));
    }
  };

  const accept = async (next: AgentStatus) => {
    setStatus(next);
    setProblem(null);
    await loadModels(next);
  };

  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    try {
      await task();
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) setProblem(describe(error));
    } finally {
      setBusy(false);
    }
  };

  const model = () => {
    const current = status();
    if (!current?.configured) return null;
    const chosen = choice();
    return chosen && models().includes(chosen) ? chosen : (current.model ?? models()[0] ?? null);
  };

  return {
    status,
    problem,
    models,
    modelsProblem,
    model,
    chooseModel(next) {
      setChoice(next);
      saveChoice(next);
    },
    busy,
    refresh: () => run(async () => accept(await fetchAgentStatus())),
    configure: (change) =>
      run(async () => {
        await accept(await updateAgentConfig(change));
        if (change.model) {
          setChoice(change.model);
          saveChoice(change.model);
        }
      }),
  };
}
