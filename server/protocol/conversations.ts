/**
 * A notebook's conversations with the assistant, as its metadata keeps them so they travel with the file:
 *
 *   metadata.cellmate.conversations = [{ id: 'c-1a2b3c4d', title: 'Sales by region', created_at, entries: [...] }]
 *   metadata.cellmate.active_conversation = 'c-1a2b3c4d'
 *
 * The active one is the notebook's, not a tab's: the next prompt (from any tab or the API) continues it. A notebook
 * written before there were several keeps its one conversation in `metadata.cellmate.conversation`; it reads as
 * the first conversation (id `c-1`) and is written back in the new shape on the next change.
 * Pure data and zod schemas: `web/` imports this file too.
 */
import * as z from 'zod/mini';
import { conversationEntrySchema, type ConversationEntry } from './agent.ts';
import type { JSONObject } from './notebook.ts';

/** At most this many conversations per notebook (each is bounded too: `compactConversation`). */
export const MAX_CONVERSATIONS = 20;
/** The id an old notebook's single conversation gets. */
export const MIGRATED_CONVERSATION_ID = 'c-1';

export const conversationIdSchema = z.string().check(z.regex(/^c-[0-9a-z-]{1,40}$/, 'a conversation id looks like c-1a2b3c4d'));

/** One conversation's header, without its entries (what lists and the REST API show). */
export const conversationInfoSchema = z.object({
  id: conversationIdSchema,
  /** Empty until the first prompt names it (or a person does). */
  title: z.string().check(z.maxLength(200)),
  created_at: z.optional(z.string()),
});
export type ConversationInfo = z.infer<typeof conversationInfoSchema>;

export interface Conversation extends ConversationInfo {
  entries: ConversationEntry[];
}

export interface NotebookConversations {
  conversations: Conversation[];
  /** The conversation the next prompt continues; null when there is none yet. */
  active: string | null;
}

/** The body of `POST /api/notebooks/{path}/agent/conversations`. */
export const newConversationSchema = z.object({ title: z.optional(z.string().check(z.maxLength(200))) });
/** The body of `PATCH /api/notebooks/{path}/agent/conversations/{id}`: rename, make active, or both. */
export const conversationChangeSchema = z.object({
  title: z.optional(z.string().check(z.maxLength(200))),
  active: z.optional(z.literal(true)),
});

function isObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entriesOf(list: unknown): ConversationEntry[] {
  if (!Array.isArray(list)) return [];
  const entries: ConversationEntry[] = [];
  for (const item of list) {
    const parsed = conversationEntrySchema.safeParse(item);
    if (parsed.success) entries.push(parsed.data);
  }
  return entries;
}

/**
 * Every conversation of a notebook. Whatever doesn't fit (a file edited by hand, a newer version) is skipped,
 * never fatal: a notebook must open whatever its metadata holds.
 */
export function conversationsFromMetadata(metadata: JSONObject): NotebookConversations {
  const cellmate = metadata['cellmate'];
  if (!isObject(cellmate)) return { conversations: [], active: null };
  const conversations: Conversation[] = [];
  if (Array.isArray(cellmate['conversations'])) {
    for (const item of cellmate['conversations']) {
      if (!isObject(item)) continue;
      const info = conversationInfoSchema.safeParse({ id: item['id'], title: item['title'] ?? '', ...(typeof item['created_at'] === 'string' ? { created_at: item['created_at'] } : {}) });
      if (!info.success || conversations.some((c) => c.id === info.data.id)) continue;
      conversations.push({ ...info.data, entries: entriesOf(item['entries']) });
    }
  } else if (Array.isArray(cellmate['conversation'])) {
    conversations.push({ id: MIGRATED_CONVERSATION_ID, title: '', entries: entriesOf(cellmate['conversation']) });
  }
  const wanted = cellmate['active_conversation'];
  const active = conversations.find((c) => c.id === wanted)?.id ?? conversations.at(-1)?.id ?? null;
  return { conversations, active };
}

/** The active conversation's entries (empty when there is none). */
export function conversationFromMetadata(metadata: JSONObject): ConversationEntry[] {
  const { conversations, active } = conversationsFromMetadata(metadata);
  return conversations.find((c) => c.id === active)?.entries ?? [];
}

function toJSON(value: unknown): JSONObject {
  // A round trip through JSON drops `undefined` fields, which neither JSON nor the .ipynb can hold; conversations
  // are plain data built from strings, numbers and booleans, so the result is a JSON object.
  return JSON.parse(JSON.stringify(value)) as JSONObject;
}

/**
 * New notebook metadata holding these conversations, keeping every other key (of `metadata` and of
 * `metadata.cellmate`) and dropping the old single `conversation`. Apply it with a `set_notebook_metadata` edit.
 */
export function withConversations(metadata: JSONObject, state: NotebookConversations): JSONObject {
  const current = metadata['cellmate'];
  const { conversation: _old, ...rest } = isObject(current) ? current : {};
  const cellmate: JSONObject = { ...rest, conversations: state.conversations.map(toJSON) };
  if (state.active) cellmate['active_conversation'] = state.active;
  else delete cellmate['active_conversation'];
  return { ...metadata, cellmate };
}

/**
 * The metadata with the active conversation's entries replaced (a first conversation made when there is none).
 *
 * @example
 *   withConversation(doc.metadata, [...conversationFromMetadata(doc.metadata), ...result.entries])
 */
export function withConversation(metadata: JSONObject, entries: readonly ConversationEntry[]): JSONObject {
  const state = conversationsFromMetadata(metadata);
  const active = state.active ?? MIGRATED_CONVERSATION_ID;
  const conversations = state.active
    ? state.conversations.map((c) => (c.id === active ? { ...c, entries: [...entries] } : c))
    : [{ id: active, title: '', entries: [...entries] }];
  return withConversations(metadata, { conversations, active });
}

/** A conversation's title for people: its own, else its first prompt's first line, else a placeholder. */
export function conversationTitle(conversation: Conversation): string {
  if (conversation.title.trim()) return conversation.title.trim();
  const first = conversation.entries.find((e) => e.kind === 'user');
  const line = first?.text.trim().split('\n', 1)[0] ?? '';
  if (!line) return 'New conversation';
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}
