/**
 * Find and replace across a notebook, as JupyterLab's search: the query runs over the document model
 * (`find.ts`), so it reaches every cell, including the ones whose editor is not rendered. Going to a match selects
 * its cell (command mode, so the focus stays in the bar; a rendered markdown cell shows its source, as
 * JupyterLab unrenders it) and asks that cell's editor, once it exists, to select the match and scroll to it
 * (`takeReveal`). The page's list renders and scrolls to whichever cell is selected.
 *
 * Replacing sends the new sources as one group of `set_source` edits (`editGroup`): the server keeps the group
 * as one undo step, and turns each into the minimal change of that cell's text, which reaches every tab (this
 * one included) as a text change that merges with what is being typed there. Until the server has them, the
 * texts shown are the old ones, so a further replacement (computed from them) waits: `canReplace`.
 */
import { batch, createContext, createEffect, createMemo, createSignal, on, untrack, useContext } from 'solid-js';
import type { CellId } from '../../../server/protocol/ids.ts';
import {
  CellMatcher,
  compileQuery,
  matchIndexFrom,
  replaceAllInCells,
  replacementFor,
  stepIndex,
  type CellMatch,
  type FindQuery,
  type TextMatch,
} from './find.ts';
import type { NotebookMode, NotebookStore } from './notebook-store.ts';

/** A match a cell's editor should select and scroll to (each request once: `n` tells them apart). */
export interface FindReveal {
  cellId: CellId;
  from: number;
  to: number;
  n: number;
}

export interface CellFindMarks {
  ranges: readonly TextMatch[];
  current: number;
}

export interface OpenFindOptions {
  replace?: boolean;
  /** Where the search starts (the cursor in a cell's editor); by default the selected cell's start. */
  from?: { cellId: CellId; offset: number };
  /** Text selected in an editor becomes the query, as in JupyterLab and CodeMirror. */
  selectedText?: string;
}

export interface NotebookFind {
  isOpen(): boolean;
  showsReplace(): boolean;
  setShowsReplace(shows: boolean): void;
  query(): FindQuery;
  setQuery(patch: Partial<FindQuery>): void;
  replacement(): string;
  setReplacement(text: string): void;
  /** Why the pattern is not a regular expression, or null. */
  error(): string | null;
  matches(): readonly CellMatch[];
  /** More matches than are listed (find.ts's `MAX_MATCHES`). */
  isCapped(): boolean;
  /** Index in `matches()` of the current match, -1 when there is none. */
  currentIndex(): number;
  /** Increases each time the bar is opened (again), so it takes the focus. */
  openCount(): number;
  /** The mode the person was in when they opened the bar, to return to. */
  returnMode(): NotebookMode;
  open(options?: OpenFindOptions): void;
  close(): void;
  next(): void;
  previous(): void;
  /** False while an earlier replacement is on its way to the server (or the notebook isn't open). */
  canReplace(): boolean;
  replaceCurrent(): void;
  /** Replaces every match as one undoable step; returns how many cells change. */
  replaceAll(): number;
  /** One cell's matches, for its editor's highlighting. */
  marksIn(id: CellId): CellFindMarks;
  /** The match this cell's editor should show now, if any; taking it clears it. */
  revealFor(id: CellId): FindReveal | null;
  takeReveal(reveal: FindReveal): void;
}

const NO_MARKS: CellFindMarks = { ranges: [], current: -1 };

export function createNotebookFind(nb: NotebookStore): NotebookFind {
  const [isOpen, setOpen] = createSignal(false);
  const [showsReplace, setShowsReplace] = createSignal(false);
  const [query, setQueryState] = createSignal<FindQuery>({ text: '', caseSensitive: false, regex: false });
  const [replacement, setReplacement] = createSignal('');
  const [anchor, setAnchor] = createSignal<{ cellId: CellId; offset: number } | null>(null);
  const [reveal, setReveal] = createSignal<FindReveal | null>(null);
  const [openCount, setOpenCount] = createSignal(0);
  const [returnMode, setReturnMode] = createSignal<NotebookMode>('command');
  let revealCount = 0;
  /** Markdown cells this search showed as source, rendered again when it moves on or closes. */
  const revealedMarkdown = new Set<CellId>();
  /** After a replacement: once its text is back, the next match is selected. */
  let showNextAfterReplace = false;

  const cells = () => nb.state.doc?.cells ?? [];
  const compiled = createMemo(() => (isOpen() ? compileQuery(query()) : null));
  const matcher = createMemo(() => {
    const regexp = compiled()?.regexp;
    return regexp ? new CellMatcher(regexp) : null;
  });
  const found = createMemo(() => matcher()?.find(cells()) ?? { matches: [], isCapped: false });
  const matches = () => found().matches;

  const currentIndex = createMemo(() => {
    const at = anchor();
    const list = matches();
    if (!at || list.length === 0) return list.length > 0 ? 0 : -1;
    const cellIndex = cells().findIndex((cell) => cell.id === at.cellId);
    return matchIndexFrom(list, { cellIndex: Math.max(0, cellIndex), offset: cellIndex < 0 ? 0 : at.offset });
  });

  const byCell = createMemo(() => {
    const map = new Map<CellId, { ranges: TextMatch[]; first: number }>();
    matches().forEach((match, i) => {
      const entry = map.get(match.cellId);
      if (entry) entry.ranges.push(match);
      else map.set(match.cellId, { ranges: [match], first: i });
    });
    return map;
  });

  const renderRevealed = (except: CellId | null) => {
    for (const id of revealedMarkdown) {
      if (id === except) continue;
      revealedMarkdown.delete(id);
      nb.setMarkdownEditing(id, false);
    }
  };

  const goTo = (index: number) => {
    const match = matches()[index];
    if (!match) return;
    const cell = cells()[match.cellIndex];
    batch(() => {
      setAnchor({ cellId: match.cellId, offset: match.from });
      renderRevealed(match.cellId);
      if (cell?.cell_type === 'markdown' && !nb.state.ui.editingMarkdown[match.cellId]) {
        revealedMarkdown.add(match.cellId);
        nb.setMarkdownEditing(match.cellId, true);
      }
      // Command mode: the cell is selected (and so rendered and scrolled to) while the focus stays in the bar.
      nb.select(match.cellId, 'command');
      setReveal({ cellId: match.cellId, from: match.from, to: match.to, n: ++revealCount });
    });
  };

  // Typing the query (or toggling case or regex) shows the first match from where the search started.
  createEffect(
    on(compiled, () => {
      if (untrack(matches).length > 0) goTo(untrack(currentIndex));
    }, { defer: true }),
  );
  // A replacement's text came back: show the match after it.
  createEffect(
    on([matches, () => nb.state.pendingEdits], () => {
      if (!showNextAfterReplace || nb.state.pendingEdits > 0) return;
      showNextAfterReplace = false;
      goTo(untrack(currentIndex));
    }, { defer: true }),
  );

  const canReplace = () => nb.state.connection === 'open' && nb.state.pendingEdits === 0 && compiled()?.regexp !== undefined;

  return {
    isOpen,
    showsReplace,
    setShowsReplace,
    query,
    setQuery(patch) {
      setQueryState({ ...query(), ...patch });
    },
    replacement,
    setReplacement,
    error: () => compiled()?.error ?? null,
    matches,
    isCapped: () => found().isCapped,
    currentIndex,
    openCount,
    returnMode,
    open(options = {}) {
      batch(() => {
        if (!isOpen()) setReturnMode(nb.state.ui.mode);
        if (options.replace) setShowsReplace(true);
        const selected = nb.state.ui.selected;
        if (options.from) setAnchor(options.from);
        else if (!isOpen() && selected !== null) setAnchor({ cellId: selected, offset: 0 });
        const text = options.selectedText;
        if (text && !text.includes('\n')) setQueryState({ ...query(), text });
        setOpen(true);
        setOpenCount(openCount() + 1);
      });
    },
    close() {
      batch(() => {
        const current = matches()[currentIndex()];
        // Back into an editor: the markdown cell the cursor returns to stays as source.
        renderRevealed(returnMode() === 'edit' && current ? current.cellId : null);
        // That one is the person's to edit now: a later search leaves it as it is.
        revealedMarkdown.clear();
        setOpen(false);
        setReveal(null);
        showNextAfterReplace = false;
      });
    },
    next() {
      goTo(stepIndex(matches().length, currentIndex(), 1));
    },
    previous() {
      // The current match is the first at or after the anchor: the one before it is the previous either way.
      goTo(stepIndex(matches().length, currentIndex(), -1));
    },
    canReplace,
    replaceCurrent() {
      const query = compiled();
      const match = matches()[currentIndex()];
      const cell = match && cells()[match.cellIndex];
      if (!canReplace() || !query?.regexp || !match || !cell) return;
      const insert = replacementFor(cell.source, match, replacement(), query.isRegex);
      const source = cell.source.slice(0, match.from) + insert + cell.source.slice(match.to);
      if (!nb.editGroup([{ type: 'set_source', id: cell.id, source }])) return;
      // The next match starts after the replacement (which may match again itself).
      setAnchor({ cellId: cell.id, offset: match.from + insert.length });
      showNextAfterReplace = true;
    },
    replaceAll() {
      const query = compiled();
      if (!canReplace() || !query) return 0;
      const changed = replaceAllInCells(cells(), query, replacement());
      if (changed.length === 0) return 0;
      const sent = nb.editGroup(changed.map(({ id, source }) => ({ type: 'set_source', id, source })));
      return sent ? changed.length : 0;
    },
    marksIn(id) {
      const entry = byCell().get(id);
      if (!entry) return NO_MARKS;
      const current = currentIndex() - entry.first;
      return { ranges: entry.ranges, current: current >= 0 && current < entry.ranges.length ? current : -1 };
    },
    revealFor(id) {
      const target = reveal();
      return target?.cellId === id ? target : null;
    },
    takeReveal(target) {
      if (reveal() === target) setReveal(null);
    },
  };
}

const FindContext = createContext<NotebookFind>();
export const FindProvider = FindContext.Provider;

/** The notebook's find. Throws outside `<FindProvider>`, as `useNotebook` does outside its provider. */
export function useFind(): NotebookFind {
  const find = useContext(FindContext);
  if (!find) throw new Error('useFind() must be called inside <FindProvider>');
  return find;
}
