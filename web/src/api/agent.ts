/**
 * The assistant's REST resources: the provider's status (and how to configure it), the models the endpoint
 * serves, and the switch to a detected local server or another model. The turns themselves go over the
 * notebook's socket (`agent_prompt`, `agent_stop`, …).
 */
import { agentModelsSchema, providerStatusSchema, type DetectedServer, type ProviderStatus } from '../../../server/protocol/resources.ts';
import { mentionsSchema, type Mentions } from '../../../server/protocol/agent-context.ts';
import { api, expectAnswer } from './client.ts';

export type { DetectedServer };
/** `GET /api/agent/status`; holds no secret (only whether a key is set). */
export type AgentStatus = ProviderStatus;

/** What `PUT /api/agent/config` takes, as the server's route declares it. */
export type AgentConfigChange = Parameters<typeof api.agent.config.$put>[0]['json'];

export function isAgentStatus(value: unknown): value is AgentStatus {
  return providerStatusSchema.safeParse(value).success;
}

export async function fetchAgentStatus(): Promise<AgentStatus> {
  return expectAnswer(providerStatusSchema, await (await api.agent.status.$get()).json(), 'not an assistant status');
}

/** The models the endpoint serves; an `ApiError` (502) when it can't be reached. */
export async function fetchAgentModels(): Promise<string[]> {
  return expectAnswer(agentModelsSchema, await (await api.agent.models.$get()).json(), 'no model list').models;
}

/** Points the server at another endpoint or model (a detected local server); answers with the new status. */
export async function updateAgentConfig(change: AgentConfigChange): Promise<AgentStatus> {
  return expectAnswer(providerStatusSchema, await (await api.agent.config.$put({ json: change })).json(), 'not an assistant status');
}

/** What `@` offers in the composer: the notebook folder's files and the running kernel's variables. */
export async function fetchMentions(path: string): Promise<Mentions> {
  const answer = await api.notebooks[':path'].agent.mentions.$get({ param: { path: encodeURIComponent(path) } });
  return expectAnswer(mentionsSchema, await answer.json(), 'what @ can attach');
}
