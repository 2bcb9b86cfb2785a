/**
 * What each turn sent to the model, kept in `<workspace>/.cellmate/turns/<turn>.json` (see protocol/turn-log.ts).
 * A `TurnLogRecorder` follows one turn (the loop tells it each request and its usage); `TurnLogStore` writes the
 * finished log and reads it back. The newest `TURN_LOGS_KEPT` logs of the workspace are kept.
 */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { TURN_LOG_MAX_CHARS, turnLogSchema, type JSONValue, type TokenUsage, type TurnLog } from '../protocol/index.ts';
import { errorCode, writeFileAtomic } from '../store/atomic-write.ts';

/** Turn logs kept per workspace, newest first; older ones are removed as new ones are written. */
export const TURN_LOGS_KEPT = 500;

function toJSON(value: unknown): JSONValue {
  // Chat messages are plain JSON-able data (strings, arrays, objects); the round trip drops `undefined` fields.
  return JSON.parse(JSON.stringify(value)) as JSONValue;
}

/** The record of one turn's requests, messages stored once each however often they were sent. */
export class TurnLogRecorder {
  readonly #log: TurnLog;
  /** The messages already stored, by identity (the loop re-sends the same objects). */
  readonly #index = new Map<ChatCompletionMessageParam, number>();
  #chars = 0;

  constructor(header: { turn: string; notebook: string; conversation: string; model: string }) {
    this.#log = { ...header, started_at: new Date().toISOString(), tools: [], messages: [], requests: [], truncated: false };
  }

  /** The model the turn uses, once the provider has chosen it. */
  set model(model: string) {
    this.#log.model = model;
  }

  /** A request about to go out: its step, its messages and tools, exactly as given to the client. */
  request(step: number, messages: readonly ChatCompletionMessageParam[], tools: readonly ChatCompletionTool[]): void {
    if (this.#log.tools.length === 0) this.#log.tools = tools.map(toJSON);
    const sent = messages.map((message) => {
      const known = this.#index.get(message);
      if (known !== undefined) return known;
      let stored = toJSON(message);
      const size = JSON.stringify(stored).length;
      if (this.#chars + size > TURN_LOG_MAX_CHARS) {
        stored = { role: message.role, omitted_chars: size };
        this.#log.truncated = true;
      } else this.#chars += size;
      this.#log.messages.push(stored);
      this.#index.set(message, this.#log.messages.length - 1);
      return this.#log.messages.length - 1;
    });
    this.#log.requests.push({ step, sent, usage: null });
  }

  /** The usage the provider reported for the latest request. */
  usage(usage: TokenUsage): void {
    const last = this.#log.requests.at(-1);
    if (last) last.usage = { ...usage };
  }

  /** The log so far (a copy of its lists: the turn may go on). */
  snapshot(): TurnLog {
    return { ...this.#log, messages: [...this.#log.messages], requests: this.#log.requests.map((r) => ({ ...r })) };
  }
}

export class TurnLogStore {
  readonly #folder: string;

  /** `stateFolder` is `<workspace>/.cellmate`. */
  constructor(stateFolder: string) {
    this.#folder = join(stateFolder, 'turns');
  }

  async write(log: TurnLog): Promise<void> {
    await mkdir(this.#folder, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(this.#folder, `${log.turn}.json`), JSON.stringify(log));
    await this.#prune();
  }

  /** The log of `turn` (an id already checked by `turnIdSchema`), or null when none was kept. */
  async read(turn: string): Promise<TurnLog | null> {
    let raw: string;
    try {
      raw = await readFile(join(this.#folder, `${turn}.json`), 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return null;
      throw error;
    }
    try {
      const parsed = turnLogSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async #prune(): Promise<void> {
    const names = (await readdir(this.#folder)).filter((name) => /^t-[0-9a-f]{8}\.json$/.test(name));
    if (names.length <= TURN_LOGS_KEPT) return;
    const dated = await Promise.all(names.map(async (name) => ({ name, at: (await stat(join(this.#folder, name)).catch(() => null))?.mtimeMs ?? 0 })));
    dated.sort((a, b) => b.at - a.at);
    await Promise.all(dated.slice(TURN_LOGS_KEPT).map(({ name }) => rm(join(this.#folder, name), { force: true })));
  }
}
