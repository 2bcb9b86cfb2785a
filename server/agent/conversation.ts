/**
 * The conversation between turns. The notebook keeps a compact record (`ConversationEntry[]` in
 * `metadata.cellmate.conversation`); the next turn's request replays it as plain user/assistant messages, the
 * tool calls folded into the assistant's text as one line each. The cells themselves carry the real state, so
 * old tool results are not replayed (they would be stale and large).
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ConversationEntry, JSONValue } from '../protocol/index.ts';
import { cutText } from './text-shaping.ts';

function firstLine(text: string, max = 80): string {
  const [line = ''] = text.split('\n');
  const more = text.includes('\n') ? ` (+${text.split('\n').length - 1} lines)` : '';
  return (line.length > max ? `${line.slice(0, max)}…` : line) + more;
}

/** Tool arguments in a few words for the record: ids as they are, a cell's source as its first line. */
export function summariseArgs(args: JSONValue): string {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return cutText(JSON.stringify(args), 120);
  const parts = Object.entries(args)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? JSON.stringify(firstLine(value)) : cutText(JSON.stringify(value), 60)}`);
  return parts.join(', ');
}

interface TurnGroup {
  turn: string;
  user: string | null;
  /** The assistant's side: texts and one line per tool call, in order. */
  assistant: string[];
}

function groupTurns(history: readonly ConversationEntry[]): TurnGroup[] {
  const groups: TurnGroup[] = [];
  for (const entry of history) {
    let group = groups.at(-1);
    if (!group || group.turn !== entry.turn) {
      group = { turn: entry.turn, user: null, assistant: [] };
      groups.push(group);
    }
    switch (entry.kind) {
      case 'user':
        group.user = entry.text;
        break;
      case 'assistant':
        if (entry.text.trim()) group.assistant.push(entry.text);
        break;
      case 'tool':
        group.assistant.push(`[tool ${entry.name}(${entry.args}) → ${entry.ok ? '' : 'failed: '}${entry.summary}]`);
        break;
      case 'turn_end':
        if (entry.stop_reason) group.assistant.push(`[this turn stopped early: ${entry.error ?? entry.stop_reason}]`);
        break;
    }
  }
  return groups;
}

function groupMessages(group: TurnGroup, maxChars: number): ChatCompletionMessageParam[] {
  const user = cutText(group.user ?? '(no prompt recorded)', Math.max(200, Math.floor(maxChars / 3)));
  const assistant = cutText(group.assistant.join('\n') || '(no answer)', Math.max(200, maxChars - user.length));
  return [
    { role: 'user', content: user },
    { role: 'assistant', content: assistant },
  ];
}

function size(messages: readonly ChatCompletionMessageParam[]): number {
  return messages.reduce((sum, m) => sum + (typeof m.content === 'string' ? m.content.length : 0), 0);
}

/**
 * The earlier turns as chat messages within `budgetChars`: the newest turns first in priority, whole turns
 * dropped from the oldest end, the newest one cut if it alone is too long.
 *
 * @example
 *   const messages = [system, ...historyMessages(conversationFromMetadata(doc.metadata), 24_000), user];
 */
export function historyMessages(history: readonly ConversationEntry[], budgetChars: number): ChatCompletionMessageParam[] {
  const groups = groupTurns(history);
  const kept: ChatCompletionMessageParam[][] = [];
  let used = 0;
  for (let i = groups.length - 1; i >= 0; i--) {
    const full = groupMessages(groups[i]!, Number.POSITIVE_INFINITY);
    const fullSize = size(full);
    if (used + fullSize <= budgetChars) {
      kept.unshift(full);
      used += fullSize;
      continue;
    }
    if (kept.length === 0 && budgetChars >= 400) kept.unshift(groupMessages(groups[i]!, budgetChars));
    break;
  }
  return kept.flat();
}

/**
 * Bounds what the notebook stores: keeps the newest whole turns whose entries fit in `maxChars` of JSON.
 * Call it before writing the conversation back to `metadata.cellmate.conversation`.
 */
export function compactConversation(history: readonly ConversationEntry[], maxChars = 200_000): ConversationEntry[] {
  let used = 0;
  let cutAt = history.length;
  for (let i = history.length - 1; i >= 0; i--) {
    used += JSON.stringify(history[i]).length;
    if (used > maxChars) break;
    cutAt = i;
  }
  // Never start in the middle of a turn.
  const turn = history[cutAt]?.turn;
  while (cutAt < history.length && cutAt > 0 && history[cutAt - 1]?.turn === turn) cutAt++;
  return history.slice(cutAt);
}

/**
 * The messages for a second attempt after a context-length error: earlier turns dropped, tool results cut
 * short, attached images removed. `historyCount` is how many messages after the system prompt are history.
 */
export function trimMessagesForRetry(messages: readonly ChatCompletionMessageParam[], historyCount: number, toolChars = 1500): ChatCompletionMessageParam[] {
  const [system, ...rest] = messages;
  const current = rest.slice(historyCount).flatMap((message): ChatCompletionMessageParam[] => {
    if (message.role === 'tool' && typeof message.content === 'string') return [{ ...message, content: cutText(message.content, toolChars) }];
    if (message.role === 'user' && Array.isArray(message.content)) return [];
    return [message];
  });
  return system ? [system, ...current] : current;
}
