/**
 * The assistant's project files in `<workspace>/.cellmate/`: the rules added to its system prompt (`rules.md`)
 * and the price table (`prices.json`). `.cellmate/` is out of every kernel's reach (sandboxed kernels see it empty
 * and read-only; the files API refuses it), so no cell, and no data a cell read, can give the assistant standing
 * orders. `AGENTS.md`, which any cell can write, is only read to show it to a person who may import it: its text
 * reaches the model only once a person has put it into the rules (`PUT /api/agent/rules`).
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { DEFAULT_PRICES, priceTableSchema, type PriceTable, type PricesAnswer } from '../protocol/index.ts';
import { BadRequest } from '../errors.ts';
import { errorCode, writeFileAtomic } from '../store/atomic-write.ts';
import { STATE_FOLDER } from '../store/state-folder.ts';
import type { Workspace } from '../store/storage.ts';

/** Characters of rules the system prompt takes; a longer `rules.md` (edited by hand) is cut there. */
export const RULES_MAX_CHARS = 16_000;
export const RULES_FILE = `${STATE_FOLDER}/rules.md`;
export const AGENTS_FILE = 'AGENTS.md';

export interface RulesText {
  /** The rules as the model gets them (empty: no rules). */
  text: string;
  /** `rules.md` was longer than `RULES_MAX_CHARS` and is cut. */
  truncated: boolean;
}

/** `GET /api/agent/rules`: the rules in force, and an `AGENTS.md` offered for import (never used unasked). */
export interface RulesAnswer extends RulesText {
  max_chars: number;
  agents_md: RulesText | null;
}

export const rulesBodySchema = z.object({ text: z.string().max(RULES_MAX_CHARS, `rules are at most ${RULES_MAX_CHARS} characters`) }).strict();

/** Reads at most `max` characters of a file (and says whether there was more); null when it doesn't exist. */
async function readBounded(path: string, max: number): Promise<RulesText | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
    throw error;
  }
  try {
    // Four bytes a character at most: enough bytes for `max` characters and one more.
    const buffer = Buffer.alloc(max * 4 + 4);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const chars = [...text];
    return chars.length > max ? { text: chars.slice(0, max).join(''), truncated: true } : { text, truncated: false };
  } finally {
    await handle.close();
  }
}

export class ProjectFiles {
  readonly #workspace: Workspace;
  readonly #folder: string;

  constructor(workspace: Workspace) {
    this.#workspace = workspace;
    this.#folder = join(workspace.root, STATE_FOLDER);
  }

  /** `<workspace>/.cellmate`, made when first written to if the server did not make it already. */
  get folder(): string {
    return this.#folder;
  }

  /** The rules for the system prompt (empty when there are none). */
  async rules(): Promise<RulesText> {
    return (await readBounded(join(this.#folder, 'rules.md'), RULES_MAX_CHARS)) ?? { text: '', truncated: false };
  }

  /** Everything `GET /api/agent/rules` answers. */
  async rulesAnswer(): Promise<RulesAnswer> {
    return { ...(await this.rules()), max_chars: RULES_MAX_CHARS, agents_md: await this.agentsMd() };
  }

  /** Replaces the rules; empty text removes `rules.md`. */
  async setRules(text: string): Promise<RulesAnswer> {
    const path = join(this.#folder, 'rules.md');
    if (text.trim() === '') await rm(path, { force: true });
    else {
      await mkdir(this.#folder, { recursive: true, mode: 0o700 });
      await writeFileAtomic(path, text);
    }
    return this.rulesAnswer();
  }

  /**
   * `AGENTS.md` at the workspace's root, for a person to read and maybe import; null when there is none (or it
   * is a link out of the workspace). Never called while building a prompt.
   */
  async agentsMd(): Promise<RulesText | null> {
    let path: string;
    try {
      path = await this.#workspace.resolve(AGENTS_FILE);
    } catch {
      return null;
    }
    return readBounded(path, RULES_MAX_CHARS);
  }

  /** The price table in force: `prices.json` when there is one that reads, else the defaults. */
  async prices(): Promise<PricesAnswer> {
    let raw: string;
    try {
      raw = await readFile(join(this.#folder, 'prices.json'), 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { table: DEFAULT_PRICES, source: 'defaults' };
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new BadRequest(`${STATE_FOLDER}/prices.json is not JSON: fix it or replace it with PUT /api/agent/prices`);
    }
    const parsed = priceTableSchema.safeParse(json);
    if (!parsed.success) throw new BadRequest(`${STATE_FOLDER}/prices.json does not fit the price table's shape: ${parsed.error.message}`);
    return { table: parsed.data, source: 'file' };
  }

  async setPrices(table: PriceTable): Promise<PricesAnswer> {
    await mkdir(this.#folder, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(this.#folder, 'prices.json'), `${JSON.stringify(table, null, 2)}\n`);
    return { table, source: 'file' };
  }
}
