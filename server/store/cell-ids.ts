/**
 * Cell ids on read: kept when valid and unique, added when missing, repaired (with a warning) when invalid or
 * duplicated. Keeping valid ids matters: the UI, the agent and undo history all refer to cells by id.
 */
import { CellId } from '../protocol/index.ts';

const MAX_ID_LENGTH = 64;

export interface AssignedIds {
  ids: CellId[];
  warnings: string[];
}

/**
 * One id per cell, from the ids found in the file (`undefined` when absent).
 *
 * @param announceMissing warn about missing ids (a 4.5 file should have them); off when upgrading from an older
 *   format, where adding ids is the expected change.
 * @example
 *   assignCellIds(['a', 'a', '$x', undefined], true).ids // ['a', 'a-1', 'x', '<fresh id>']
 */
export function assignCellIds(found: readonly unknown[], announceMissing: boolean): AssignedIds {
  const warnings: string[] = [];
  // First the ids that stay as they are, so a repaired id can never take the id of a later, valid cell.
  const kept = new Set<number>();
  const used = new Set<string>();
  found.forEach((id, index) => {
    if (CellId.is(id) && !used.has(id)) {
      used.add(id);
      kept.add(index);
    }
  });

  const ids = found.map((id, index): CellId => {
    const label = `cell ${index + 1}`;
    if (kept.has(index) && CellId.is(id)) return id;
    const fresh = (candidate: string | undefined): CellId => {
      const chosen = candidate !== undefined && CellId.is(candidate) && !used.has(candidate) ? candidate : unusedRandomId(used);
      used.add(chosen);
      return chosen;
    };
    if (id === undefined) {
      const added = fresh(undefined);
      if (announceMissing) warnings.push(`${label}: missing id; added ${JSON.stringify(added)}`);
      return added;
    }
    if (CellId.is(id)) {
      const renamed = fresh(numbered(id, used));
      warnings.push(`${label}: duplicate id ${JSON.stringify(id)}; renamed ${JSON.stringify(renamed)}`);
      return renamed;
    }
    const replaced = fresh(sanitized(id));
    warnings.push(`${label}: invalid id ${JSON.stringify(id)} (ids are 1–64 letters, digits, - or _); replaced by ${JSON.stringify(replaced)}`);
    return replaced;
  });
  return { ids, warnings };
}

/** `dup` → `dup-1`, `dup-2`…: the first number not taken, keeping the id recognisable. */
function numbered(id: string, used: ReadonlySet<string>): string | undefined {
  for (let n = 1; n < 10_000; n++) {
    const suffix = `-${n}`;
    const candidate = id.slice(0, MAX_ID_LENGTH - suffix.length) + suffix;
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}

/** The valid characters of an invalid id (`$illegal_chars` → `illegal_chars`), or nothing usable. */
function sanitized(id: unknown): string | undefined {
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  const cleaned = String(id).replace(/[^a-zA-Z0-9_-]/g, '').slice(0, MAX_ID_LENGTH);
  return cleaned.length > 0 ? cleaned : undefined;
}

function unusedRandomId(used: ReadonlySet<string>): CellId {
  let id = CellId.create();
  while (used.has(id)) id = CellId.create();
  return id;
}
