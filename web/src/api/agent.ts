/**
 * The assistant's REST resources: the provider's status (and how to configure it), the models the endpoint
 * serves, and the switch to a detected local server or another model. The turns themselves go over the
 * notebook's socket (`agent_prompt`, `agent_stop`, …).
 */
import { apiJson, isRecord } from './http.ts';

import type { DetectedServer, ProviderStatus } from '../../../server/protocol/resources.ts';

export type { DetectedServer };
/** `GET /api/agent/status`; holds no secret (only whether a key is set). */
export type AgentStatus = ProviderStatus;

export interface AgentConfigChange {
  base_url?: string;
  model?: string;
}

const str = (value: unknown): value is string => typeof value === 'string';
const strOrNull = (value: unknown): value is string | null => value === null || str(value);
const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every(str);

function isDetectedServer(value: unknown): value is DetectedServer {
  return isRecord(value) && str(value.name) && str(value.base_url) && strings(value.models);
}

export function isAgentStatus(value: unknown): value is AgentStatus {
  return (
    isRecord(value) &&
    typeof value.configured === 'boolean' &&
    strOrNull(value.base_url) &&
    strOrNull(value.model) &&
    typeof value.has_api_key === 'boolean' &&
    typeof value.vision === 'boolean' &&
    (value.detected === undefined || (Array.isArray(value.detected) && value.detected.every(isDetectedServer))) &&
    (value.problems === undefined || strings(value.problems)) &&
    str(value.help)
  );
}

function statusFrom(body: unknown): AgentStatus {
  if (!isAgentStatus(body)) throw new Error('Unexpected answer from the server: not an assistant status');
  return body;
}

export async function fetchAgentStatus(): Promise<AgentStatus> {
  return statusFrom(await apiJson('/api/agent/status'));
}

/** The models the endpoint serves; an `ApiError` (502) when it can't be reached. */
export async function fetchAgentModels(): Promise<string[]> {
  const body = await apiJson('/api/agent/models');
  if (!isRecord(body) || !strings(body.models)) throw new Error('Unexpected answer from the server: no model list');
  return body.models;
}

/** Points the server at another endpoint or model (a detected local server); answers with the new status. */
export async function updateAgentConfig(change: AgentConfigChange): Promise<AgentStatus> {
  return statusFrom(await apiJson('/api/agent/config', { method: 'PUT', body: JSON.stringify(change) }));
}
