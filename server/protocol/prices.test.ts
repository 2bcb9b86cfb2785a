import { describe, expect, it } from 'vitest';
import type { ConversationEntry } from './agent.ts';
import { costOf, DEFAULT_PRICES, formatAsOf, formatCost, priceOf, priceTableSchema, usageReport, type PriceTable } from './prices.ts';

const table: PriceTable = { currency: 'USD', models: { known: { input_per_million: 2, output_per_million: 8 } } };
const end = (turn: string, model: string | undefined, prompt: number, completion: number, unreported?: number): ConversationEntry => ({
  kind: 'turn_end',
  turn,
  ...(model ? { model } : {}),
  usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  cells_changed: [],
  ...(unreported ? { unreported_usage: unreported } : {}),
});

describe('prices', () => {
  it('prices a model by name or by its dated snapshot, and invents none', () => {
    expect(priceOf('gpt-4o-2024-08-06', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES.models['gpt-4o']);
    expect(priceOf('llama3.1:8b', DEFAULT_PRICES)).toBeNull();
    expect(costOf({ prompt_tokens: 1_000_000, completion_tokens: 500_000, total_tokens: 1_500_000 }, 'known', table)).toBe(6);
    expect(costOf({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, 'unknown', table)).toBeNull();
  });

  it('sums per conversation and notebook; unknown usage is no cost, a partly reported one is flagged', () => {
    const report = usageReport(
      [
        { id: 'c-a', title: '', entries: [end('t1', 'known', 1000, 100), end('t2', 'other', 50, 5)] },
        // An older turn names its model on its reply only.
        { id: 'c-b', title: '', entries: [{ kind: 'assistant', turn: 't3', text: 'x', model: 'known' }, end('t3', undefined, 0, 0, 2), end('t4', 'known', 500, 0, 1)] },
      ],
      table,
    );
    expect(report.conversations[0]!.totals).toEqual({ usage: { prompt_tokens: 1050, completion_tokens: 105, total_tokens: 1155 }, unreported_usage: 0, cost: 0.0028, unpriced_turns: 1 });
    expect(report.conversations[1]!.turns.map((t) => [t.model, t.cost])).toEqual([
      ['known', null],
      ['known', 0.001],
    ]);
    expect(report.notebook).toMatchObject({ unreported_usage: 3, unpriced_turns: 1 });
    expect(report.notebook.cost).toBeCloseTo(0.0038, 12);
  });

  it('dates its defaults, prices only the models it lists, and reads tables with or without a date', () => {
    expect(DEFAULT_PRICES.as_of).toBe('2025-04');
    expect(Object.keys(DEFAULT_PRICES.models)).toEqual(['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o3-mini', 'o4-mini']);
    for (const model of ['gpt-5', 'claude-sonnet-4', 'o3', 'llama3.1:8b', 'qwen2.5-coder']) expect(priceOf(model, DEFAULT_PRICES)).toBeNull();
    expect(priceTableSchema.safeParse(DEFAULT_PRICES).success).toBe(true);
    expect(priceTableSchema.safeParse({ currency: 'USD', models: {} }).success).toBe(true);
    expect(priceTableSchema.safeParse({ currency: 'USD', as_of: '2026-12-03', models: {} }).success).toBe(true);
    for (const asOf of ['2026-13', 'December 2026', '2026-12-32', '']) expect(priceTableSchema.safeParse({ currency: 'USD', as_of: asOf, models: {} }).success).toBe(false);
    expect(formatAsOf('2025-04')).toBe('April 2025');
    expect(formatAsOf('2026-12-03')).toBe('3 December 2026');
  });

  it('formats small costs with enough digits', () => {
    expect(formatCost(0.0035, 'USD')).toBe('$0.0035');
    expect(formatCost(0.25, 'USD')).toBe('$0.250');
    expect(formatCost(12.5, 'EUR')).toBe('12.50 EUR');
  });
});
