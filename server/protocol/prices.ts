/**
 * What the assistant's turns cost: a small price table (`<workspace>/.cellmate/prices.json`, editable from the
 * panel or `PUT /api/agent/prices`; defaults below for a few well-known OpenAI models at their list prices as of
 * the date they carry) and the sums per turn, per conversation and per notebook. A model not in the table gets
 * no price: its turns show tokens only, never a guessed cost. Tokens a provider did not report are counted as unknown, not as zero: the sums then say so.
 * Pure data and zod schemas: `web/` imports this file too.
 */
import * as z from 'zod/mini';
import { tokenUsageSchema, type ConversationEntry, type TokenUsage } from './agent.ts';
import type { Conversation } from './conversations.ts';

/** A model's price in `currency` per million tokens, prompt (input) and completion (output). */
export const modelPriceSchema = z.object({
  input_per_million: z.number().check(z.minimum(0)),
  output_per_million: z.number().check(z.minimum(0)),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

export const priceTableSchema = z.object({
  currency: z.string().check(z.minLength(1), z.maxLength(10)),
  /** When the prices were the provider's (`2025-04` or `2025-04-16`); prices change, so the panel shows it. */
  as_of: z.optional(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/))),
  models: z.record(z.string().check(z.minLength(1), z.maxLength(200)), modelPriceSchema),
});
export type PriceTable = z.infer<typeof priceTableSchema>;

/**
 * OpenAI's standard list prices (USD per million tokens) for a few models, as published when the newest of them
 * came out (April 2025). They were not fetched from OpenAI (this table is written by hand, and may be out of date):
 * the panel shows their date and lets them be edited. No other model is given a price here. Cached-input and
 * batch discounts are not applied, so a cost is an upper bound where the provider cached part of the prompt.
 */
export const DEFAULT_PRICES: PriceTable = {
  currency: 'USD',
  as_of: '2025-04',
  models: {
    'gpt-4o': { input_per_million: 2.5, output_per_million: 10 },
    'gpt-4o-mini': { input_per_million: 0.15, output_per_million: 0.6 },
    'gpt-4.1': { input_per_million: 2, output_per_million: 8 },
    'gpt-4.1-mini': { input_per_million: 0.4, output_per_million: 1.6 },
    'gpt-4.1-nano': { input_per_million: 0.1, output_per_million: 0.4 },
    'o3-mini': { input_per_million: 1.1, output_per_million: 4.4 },
    'o4-mini': { input_per_million: 1.1, output_per_million: 4.4 },
  },
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A table's `as_of` for people: `2025-04` → `April 2025`, `2025-04-16` → `16 April 2025`. */
export function formatAsOf(asOf: string): string {
  const [year, month, day] = asOf.split('-');
  const name = MONTHS[Number(month) - 1] ?? month;
  return day ? `${Number(day)} ${name} ${year}` : `${name} ${year}`;
}

/** `GET /api/agent/prices`: the table in force and where it comes from. */
export const pricesAnswerSchema = z.object({ table: priceTableSchema, source: z.enum(['defaults', 'file']) });
export type PricesAnswer = z.infer<typeof pricesAnswerSchema>;

/** The model's price: by its exact name, or a dated snapshot (`gpt-4o-2024-08-06`) by its family's. */
export function priceOf(model: string, table: PriceTable): ModelPrice | null {
  const exact = table.models[model];
  if (exact) return exact;
  const family = /^(.+)-\d{4}-\d{2}-\d{2}$/.exec(model)?.[1];
  return (family && table.models[family]) || null;
}

/** The cost of `usage` with `model`, or null when the table has no price for it. */
export function costOf(usage: TokenUsage, model: string, table: PriceTable): number | null {
  const price = priceOf(model, table);
  if (!price) return null;
  return (usage.prompt_tokens * price.input_per_million + usage.completion_tokens * price.output_per_million) / 1_000_000;
}

export const usageTotalsSchema = z.object({
  usage: tokenUsageSchema,
  /** Model requests whose usage was not reported: `usage` is a lower bound when above 0. */
  unreported_usage: z.int(),
  /** The cost of the turns whose model has a price; null when none has. */
  cost: z.nullable(z.number()),
  /** Turns counted in `usage` whose model has no price (so `cost` leaves them out). */
  unpriced_turns: z.int(),
});
export type UsageTotals = z.infer<typeof usageTotalsSchema>;

export const turnUsageSchema = z.object({ turn: z.string(), model: z.nullable(z.string()), usage: tokenUsageSchema, unreported_usage: z.int(), cost: z.nullable(z.number()) });
export type TurnUsage = z.infer<typeof turnUsageSchema>;

/** `GET /api/notebooks/{path}/agent/usage`. */
export const usageReportSchema = z.object({
  currency: z.string(),
  conversations: z.array(z.object({ id: z.string(), turns: z.array(turnUsageSchema), totals: usageTotalsSchema })),
  notebook: usageTotalsSchema,
});
export type UsageReport = z.infer<typeof usageReportSchema>;

/** The model an older turn's `assistant` entries name (before `turn_end` kept it). */
function modelOfTurn(entries: readonly ConversationEntry[], turn: string): string | null {
  for (const e of entries) if (e.kind === 'assistant' && e.turn === turn && e.model) return e.model;
  return null;
}

/** Each ended turn of a conversation with its usage and cost. */
export function turnUsages(entries: readonly ConversationEntry[], table: PriceTable): TurnUsage[] {
  const turns: TurnUsage[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'turn_end') continue;
    const model = entry.model ?? modelOfTurn(entries, entry.turn);
    const unreported = entry.unreported_usage ?? 0;
    // Nothing reported is no cost known (never a cost of 0); some reported is a lower bound, flagged by `unreported`.
    const isUnknown = unreported > 0 && entry.usage.total_tokens === 0;
    const cost = model && !isUnknown ? costOf(entry.usage, model, table) : null;
    turns.push({ turn: entry.turn, model, usage: entry.usage, unreported_usage: unreported, cost });
  }
  return turns;
}

/** Sums turns. A turn that used no tokens needs no price. */
export function sumUsage(turns: readonly TurnUsage[]): UsageTotals {
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  let unreported = 0;
  let cost: number | null = null;
  let unpriced = 0;
  for (const turn of turns) {
    usage.prompt_tokens += turn.usage.prompt_tokens;
    usage.completion_tokens += turn.usage.completion_tokens;
    usage.total_tokens += turn.usage.total_tokens;
    unreported += turn.unreported_usage;
    if (turn.cost !== null) cost = (cost ?? 0) + turn.cost;
    else if (turn.usage.total_tokens > 0) unpriced += 1;
  }
  return { usage, unreported_usage: unreported, cost, unpriced_turns: unpriced };
}

/** Per turn, per conversation and for the whole notebook (the conversations it still holds). */
export function usageReport(conversations: readonly Conversation[], table: PriceTable): UsageReport {
  const perConversation = conversations.map((c) => {
    const turns = turnUsages(c.entries, table);
    return { id: c.id, turns, totals: sumUsage(turns) };
  });
  return { currency: table.currency, conversations: perConversation, notebook: sumUsage(perConversation.flatMap((c) => c.turns)) };
}

/** e.g. `$0.0123` (USD) or `0.0123 EUR`; small amounts keep enough digits to be seen. */
export function formatCost(cost: number, currency: string): string {
  const digits = cost === 0 ? 2 : cost < 0.01 ? 4 : cost < 1 ? 3 : 2;
  const amount = cost.toFixed(digits);
  return currency === 'USD' ? `$${amount}` : `${amount} ${currency}`;
}
