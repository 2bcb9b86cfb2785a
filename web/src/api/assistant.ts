/**
 * The assistant's records over REST: the project's rules (and the `AGENTS.md` offered for import), the price
 * table, a notebook's conversations (new, rename, switch, delete) and what a turn sent to the model. The
 * conversations themselves reach the page in the notebook's metadata; these calls only change them.
 */
import * as z from 'zod/mini';
import { pricesAnswerSchema, type PricesAnswer, type PriceTable } from '../../../server/protocol/prices.ts';
import { turnLogSchema, type TurnLog } from '../../../server/protocol/turn-log.ts';
import { apiJson } from './http.ts';
import { expectAnswer } from './client.ts';

const rulesTextSchema = z.object({ text: z.string(), truncated: z.boolean() });
const rulesAnswerSchema = z.object({ text: z.string(), truncated: z.boolean(), max_chars: z.int(), agents_md: z.nullable(rulesTextSchema) });
export type RulesAnswer = z.infer<typeof rulesAnswerSchema>;

const notebookAgent = (path: string) => `/api/notebooks/${encodeURIComponent(path)}/agent`;
const send = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

export async function fetchRules(): Promise<RulesAnswer> {
  return expectAnswer(rulesAnswerSchema, await apiJson('/api/agent/rules'), 'not the rules');
}

/** Replaces the rules (empty text removes them); an import of `AGENTS.md` is this with its text. */
export async function saveRules(text: string): Promise<RulesAnswer> {
  return expectAnswer(rulesAnswerSchema, await apiJson('/api/agent/rules', send('PUT', { text })), 'not the rules');
}

export async function fetchPrices(): Promise<PricesAnswer> {
  return expectAnswer(pricesAnswerSchema, await apiJson('/api/agent/prices'), 'not a price table');
}

/** Writes `.cellmate/prices.json` (the server checks the table's shape: 400 with why otherwise). */
export async function savePrices(table: PriceTable): Promise<PricesAnswer> {
  return expectAnswer(pricesAnswerSchema, await apiJson('/api/agent/prices', send('PUT', table)), 'not a price table');
}

export async function newConversation(path: string): Promise<void> {
  await apiJson(`${notebookAgent(path)}/conversations`, send('POST', {}));
}

export async function changeConversation(path: string, id: string, change: { title?: string; active?: true }): Promise<void> {
  await apiJson(`${notebookAgent(path)}/conversations/${encodeURIComponent(id)}`, send('PATCH', change));
}

export async function deleteConversation(path: string, id: string): Promise<void> {
  await apiJson(`${notebookAgent(path)}/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function fetchTurnLog(path: string, turn: string): Promise<TurnLog> {
  return expectAnswer(turnLogSchema, await apiJson(`${notebookAgent(path)}/turns/${encodeURIComponent(turn)}`), 'not a turn record');
}
