/**
 * The cells copied with C or cut with X, for V to paste here or in another notebook: kept in `localStorage`
 * (shared by every tab of this Cellmate) under one key, and in memory for when storage refuses them (too big,
 * or blocked). They are also written to the system clipboard as nbformat JSON when the browser allows it, for
 * pasting into an editor; V never reads it back, so a page cannot be handed cells by whatever was copied last.
 * What comes out of storage is checked against the notebook's cell schema: another version of the page (or
 * anything else on this origin) may have written it.
 */
import * as z from 'zod/mini';
import { cellSchema, type CellDoc } from '../../../server/protocol/notebook.ts';

export const CLIPBOARD_KEY = 'cellmate:cell-clipboard';

const clipboardSchema = z.object({ format: z.literal('cellmate-cells'), version: z.literal(1), cells: z.array(cellSchema) });

/** The stored form of copied cells. */
export function serializeCells(cells: readonly CellDoc[]): string {
  return JSON.stringify({ format: 'cellmate-cells', version: 1, cells });
}

/** The cells in a stored clipboard; null for anything else (absent, not JSON, another shape). */
export function parseCells(text: string | null): CellDoc[] | null {
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = clipboardSchema.safeParse(json);
  return parsed.success ? parsed.data.cells : null;
}

/** Where copied cells are kept; `localStorage` in the page, a map in tests. */
export interface ClipboardStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class CellClipboard {
  /** This tab's last copy, as stored: a copy through JSON, since the cells may be the store's proxies. */
  #memory: string | null = null;
  readonly #storage: () => ClipboardStorage | null;

  constructor(storage: () => ClipboardStorage | null = browserStorage) {
    this.#storage = storage;
  }

  /** Keeps `cells` for pasting; returns whether other tabs can paste them too (storage took them). */
  write(cells: readonly CellDoc[]): boolean {
    const text = serializeCells(cells);
    this.#memory = text;
    writeSystemClipboard(cells);
    let storage: ClipboardStorage | null = null;
    try {
      storage = this.#storage();
      if (!storage) return false;
      storage.setItem(CLIPBOARD_KEY, text);
      return true;
    } catch {
      // Over the storage quota (big outputs) or storage blocked: this tab can still paste them, and an older
      // copy left in storage must not win over them.
      try {
        storage?.removeItem(CLIPBOARD_KEY);
      } catch {
        // Storage blocked altogether: there is nothing older in it to win.
      }
      return false;
    }
  }

  /** The cells last copied in any tab (this tab's own if storage has none). */
  read(): CellDoc[] | null {
    let stored: CellDoc[] | null = null;
    try {
      stored = parseCells(this.#storage()?.getItem(CLIPBOARD_KEY) ?? null);
    } catch {
      stored = null;
    }
    return stored ?? parseCells(this.#memory);
  }
}

function browserStorage(): ClipboardStorage | null {
  return typeof localStorage === 'undefined' ? null : localStorage;
}

/** The cells as nbformat JSON on the system clipboard, when the page may write it; failures are of no matter. */
function writeSystemClipboard(cells: readonly CellDoc[]): void {
  if (typeof navigator === 'undefined' || !navigator.clipboard?.writeText) return;
  const nbformatCells = cells.map(({ extra: _extra, ...cell }) => cell);
  navigator.clipboard.writeText(JSON.stringify(nbformatCells, null, 1)).catch(() => undefined);
}

/** The page's one clipboard of cells. */
export const cellClipboard = new CellClipboard();
