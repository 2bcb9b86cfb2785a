/**
 * Branded ids: a kernel id can't be passed where a cell id is expected.
 *
 * @example
 *   const id = CellId.create();      // "3f1c2a9e-…"-like, nbformat-valid
 *   CellId.is('a b')                 // false: nbformat ids match ^[a-zA-Z0-9-_]+$, 1–64 chars
 */
import * as z from 'zod/mini';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type CellId = Brand<string, 'CellId'>;
export type ClientId = Brand<string, 'ClientId'>;

const CELL_ID_RE = /^[a-zA-Z0-9-_]{1,64}$/;

function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const CellId = {
  /** A fresh id in the style JupyterLab writes (8 hex groups are enough to never collide in one notebook). */
  create(): CellId {
    return randomHex(8) as CellId;
  },
  is(value: unknown): value is CellId {
    return typeof value === 'string' && CELL_ID_RE.test(value);
  },
  /** Trusts a string at an edge that has already validated it (zod schema, parsed file). */
  from(value: string): CellId {
    if (!CELL_ID_RE.test(value)) throw new Error(`Invalid cell id: ${JSON.stringify(value)}`);
    return value as CellId;
  },
};

export const ClientId = {
  create(): ClientId {
    return randomHex(6) as ClientId;
  },
  /** Trusts a string the server gave out (a client id comes only from a snapshot). */
  from(value: string): ClientId {
    return value as ClientId;
  },
};

export const cellIdSchema = z.pipe(z.string().check(z.refine(CellId.is, 'a cell id is 1–64 letters, digits, - or _')), z.transform(CellId.from));
export const clientIdSchema = z.pipe(z.string().check(z.minLength(1)), z.transform(ClientId.from));
