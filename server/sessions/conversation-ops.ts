/**
 * A notebook's conversations with the assistant, managed: new, rename, switch, delete. Each is one edit of the
 * notebook's metadata (see protocol/conversations.ts), so every tab sees it at once and it is saved with the
 * file. Not a person's undo step: the conversations are the assistant's record, like the turns it stores.
 */
import {
  conversationsFromMetadata,
  conversationTitle,
  MAX_CONVERSATIONS,
  withConversations,
  type ConversationInfo,
  type EditSource,
  type NotebookConversations,
  type NotebookDoc,
  type NotebookEdit,
} from '../protocol/index.ts';
import { Conflict, NotFound } from '../errors.ts';

/** What the operations need of a notebook session. */
export interface ConversationSession {
  readonly path: string;
  doc(): NotebookDoc;
  applyEdits(edits: NotebookEdit[], source: EditSource): NotebookDoc;
}

/** One conversation as the REST API lists it. */
export interface ConversationSummary extends ConversationInfo {
  /** The title to show: its own, else its first prompt. */
  display_title: string;
  turns: number;
}

export interface ConversationList {
  conversations: ConversationSummary[];
  active: string | null;
  /** The conversation a turn is working in now, or null. */
  running: string | null;
}

/** A fresh conversation id, e.g. `c-3fa2b1c0`. */
export function newConversationId(): string {
  return `c-${globalThis.crypto.randomUUID().slice(0, 8)}`;
}

export function listConversations(session: ConversationSession, running: string | null): ConversationList {
  const { conversations, active } = conversationsFromMetadata(session.doc().metadata);
  return {
    conversations: conversations.map((c) => ({
      id: c.id,
      title: c.title,
      ...(c.created_at ? { created_at: c.created_at } : {}),
      display_title: conversationTitle(c),
      turns: new Set(c.entries.map((e) => e.turn)).size,
    })),
    active,
    running,
  };
}

function write(session: ConversationSession, state: NotebookConversations, source: EditSource): void {
  session.applyEdits([{ type: 'set_notebook_metadata', metadata: withConversations(session.doc().metadata, state) }], source);
}

/** Starts an empty conversation and makes it the active one; answers with its id. */
export function createConversation(session: ConversationSession, title: string, source: EditSource): string {
  const state = conversationsFromMetadata(session.doc().metadata);
  // An empty active conversation is already a new one.
  const current = state.conversations.find((c) => c.id === state.active);
  if (current && current.entries.length === 0) {
    if (title.trim()) changeConversation(session, current.id, { title }, source);
    return current.id;
  }
  if (state.conversations.length >= MAX_CONVERSATIONS) {
    throw new Conflict(`${session.path} has ${MAX_CONVERSATIONS} conversations, the most a notebook keeps: delete one first`);
  }
  const id = newConversationId();
  write(session, { conversations: [...state.conversations, { id, title: title.trim(), created_at: new Date().toISOString(), entries: [] }], active: id }, source);
  return id;
}

/** Renames a conversation and/or makes it the active one. */
export function changeConversation(session: ConversationSession, id: string, change: { title?: string | undefined; active?: true | undefined }, source: EditSource): void {
  const state = conversationsFromMetadata(session.doc().metadata);
  if (!state.conversations.some((c) => c.id === id)) throw new NotFound(`${session.path} has no conversation ${id}`);
  const conversations = change.title === undefined ? state.conversations : state.conversations.map((c) => (c.id === id ? { ...c, title: change.title!.trim() } : c));
  write(session, { conversations, active: change.active ? id : state.active }, source);
}

/** Deletes a conversation (not the one a turn is working in); the newest other one becomes active if it was. */
export function deleteConversation(session: ConversationSession, id: string, running: string | null, source: EditSource): void {
  const state = conversationsFromMetadata(session.doc().metadata);
  if (!state.conversations.some((c) => c.id === id)) throw new NotFound(`${session.path} has no conversation ${id}`);
  if (running === id) throw new Conflict(`The assistant is working in conversation ${id}: stop its turn before deleting it`);
  const conversations = state.conversations.filter((c) => c.id !== id);
  const active = state.active === id ? (conversations.at(-1)?.id ?? null) : state.active;
  write(session, { conversations, active }, source);
}
