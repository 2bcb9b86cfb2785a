/**
 * Where a notebook was scrolled to, kept across a reload of the tab: the cell at the top of the viewport, by id
 * (pixels would not survive heights that are guessed until measured). sessionStorage, so it is per tab and goes
 * with it; a browser that refuses storage (private mode, quota) simply doesn't remember.
 */
const storageKey = (path: string) => `cellmate.top-cell:${path}`;

export function rememberTopCell(path: string, cellId: string): void {
  try {
    sessionStorage.setItem(storageKey(path), cellId);
  } catch {
    // Storage refused: the next load starts at the top, as without this.
  }
}

export function rememberedTopCell(path: string): string | null {
  try {
    return sessionStorage.getItem(storageKey(path));
  } catch {
    return null;
  }
}
