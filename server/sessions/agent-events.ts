/**
 * The running turn's events as the snapshot keeps them for a tab that opens mid-turn: the same story in fewer
 * events. Consecutive text pieces become one `text_delta`, the pieces of one tool call's arguments one
 * `tool_call_delta`, and only the latest `usage` (it is cumulative) is kept. A turn is bounded in steps, so this
 * stays small; `MAX_KEPT_EVENTS` is a guard against a model that writes thousands of tiny tool calls.
 */
import type { AgentEvent } from '../protocol/index.ts';

export const MAX_KEPT_EVENTS = 1000;

/** Appends `event` to `events` (in place), merged with the previous one where that tells the same. */
export function keepEvent(events: AgentEvent[], event: AgentEvent): void {
  const last = events.at(-1);
  const at = events.length - 1;
  if (event.type === 'text_delta' && last?.type === 'text_delta' && last.turn === event.turn) {
    events[at] = { ...last, text: last.text + event.text };
    return;
  }
  if (event.type === 'tool_call_delta' && last?.type === 'tool_call_delta' && last.step === event.step && last.index === event.index) {
    const name = last.name ?? event.name;
    events[at] = { ...last, ...(name ? { name } : {}), arguments_delta: last.arguments_delta + event.arguments_delta };
    return;
  }
  if (event.type === 'usage') {
    const previous = events.findLastIndex((e) => e.type === 'usage');
    if (previous >= 0) events.splice(previous, 1);
  }
  events.push(event);
  // Over the guard, the arguments as they were written go first: the complete `tool_call` events hold them.
  while (events.length > MAX_KEPT_EVENTS) {
    const delta = events.findIndex((e) => e.type === 'tool_call_delta');
    if (delta < 0) break;
    events.splice(delta, 1);
  }
}
