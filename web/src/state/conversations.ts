/**
 * The notebook's conversations as the panel shows them: the active one's saved turns, the turns saved in the
 * others (so a live view of one of them is not shown in the open conversation), and what the turns cost with
 * the server's price table (fetched once per page; a model without a price shows tokens only).
 */
import { createSignal, type Accessor } from 'solid-js';
import { conversationsFromMetadata, conversationTitle, type NotebookConversations } from '../../../server/protocol/conversations.ts';
import type { JSONObject } from '../../../server/protocol/notebook.ts';
import { formatCost, sumUsage, turnUsages, type PriceTable, type UsageTotals } from '../../../server/protocol/prices.ts';
import type { TokenUsage } from '../../../server/protocol/agent.ts';
import { fetchPrices } from '../api/assistant.ts';
import { turnsFromConversation, type TurnView } from './agent-turns.ts';

export interface ConversationTurns {
  saved: TurnView[];
  /** Turns saved in the other conversations. */
  elsewhere: ReadonlySet<string>;
}

export function conversationTurns(metadata: JSONObject): ConversationTurns {
  const { conversations, active } = conversationsFromMetadata(metadata);
  const saved = turnsFromConversation(conversations.find((c) => c.id === active)?.entries ?? []);
  const elsewhere = new Set(conversations.filter((c) => c.id !== active).flatMap((c) => c.entries.map((e) => e.turn)));
  return { saved, elsewhere };
}

export interface ConversationOption {
  id: string;
  title: string;
}

export function conversationOptions(state: NotebookConversations): ConversationOption[] {
  return state.conversations.map((c) => ({ id: c.id, title: conversationTitle(c) }));
}

/** The totals of the active conversation and of the whole notebook. */
export function usageTotals(state: NotebookConversations, table: PriceTable): { conversation: UsageTotals; notebook: UsageTotals } {
  const active = state.conversations.find((c) => c.id === state.active);
  return {
    conversation: sumUsage(active ? turnUsages(active.entries, table) : []),
    notebook: sumUsage(state.conversations.flatMap((c) => turnUsages(c.entries, table))),
  };
}

const count = (n: number) => n.toLocaleString('en-US');

/** e.g. `12,345 tokens · $0.012`, `≥ 1,200 tokens` (some usage unreported), `3,000 tokens · ≥ $0.01 (1 turn unpriced)`. */
export function formatTotals(totals: UsageTotals, currency: string): string {
  const atLeast = totals.unreported_usage > 0 ? '≥ ' : '';
  const tokens = `${atLeast}${count(totals.usage.total_tokens)} tokens`;
  if (totals.cost === null) return tokens;
  const partial = totals.unpriced_turns > 0 || totals.unreported_usage > 0 ? '≥ ' : '';
  const unpriced = totals.unpriced_turns > 0 ? ` (${totals.unpriced_turns} turn${totals.unpriced_turns === 1 ? '' : 's'} unpriced)` : '';
  return `${tokens} · ${partial}${formatCost(totals.cost, currency)}${unpriced}`;
}

/** A turn's cost, or null when its model has no price or its usage is unknown. */
export function turnCost(usage: TokenUsage | null, model: string | null, unreported: number, table: PriceTable | null): string | null {
  if (!usage || !model || !table) return null;
  const [turn] = turnUsages([{ kind: 'turn_end', turn: 't', model, usage, cells_changed: [], unreported_usage: unreported }], table);
  if (!turn || turn.cost === null) return null;
  return `${unreported > 0 ? '≥ ' : ''}${formatCost(turn.cost, table.currency)}`;
}

const [prices, setPrices] = createSignal<PriceTable | null>(null);
let loading: Promise<void> | null = null;

/** The server's price table, loaded on first use (null until then, or when it can't be read). */
export function usePrices(): Accessor<PriceTable | null> {
  loading ??= fetchPrices().then(
    (answer) => void setPrices(answer.table),
    () => void setPrices(null),
  );
  return prices;
}

/** The table in force from now on (it was just saved): every cost shown follows it. */
export function setPriceTable(table: PriceTable): void {
  loading ??= Promise.resolve();
  setPrices(table);
}
