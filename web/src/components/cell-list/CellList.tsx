/**
 * The notebook's cells, windowed: only the cells near the viewport are in the DOM, plus the selected cell wherever
 * it is (so its focus and, in edit mode, its editor survive scrolling), each placed where the list computed from
 * measured heights, or guessed ones for cells not yet seen (estimate-height.ts). Opening 2,000 cells costs what
 * opening one screen does. `section.cells[data-cell-count]` says how many cells are laid out; an `article.cell`
 * exists only for a rendered one.
 *
 * Also here, because they need the list's geometry: the selected cell is scrolled into view whenever the
 * selection changes (state/reveal.ts has the contract), the cell at the top is remembered across a reload, and
 * the page stays at its end while heights settle once it was scrolled there.
 */
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, untrack, type JSX } from 'solid-js';
import { unwrap } from 'solid-js/store';
import type { CellId } from '../../../../server/protocol/ids.ts';
import type { CellDoc } from '../../../../server/protocol/notebook.ts';
import { provideReveal, renderedCells, useNotebook } from '../../state/index.ts';
import { Cell } from '../Cell.tsx';
import { estimateCellHeight } from './estimate-height.ts';
import { rememberedTopCell, rememberTopCell } from './scroll-memory.ts';
import { createWindowList, type WindowList } from './window-list.ts';

/** The flex gap the cells had before they were positioned (room for the next cell's floating toolbar). */
const GAP = 14;
const OVERSCAN = 4;
/** How long a revealed cell may take to be rendered and scrolled to before the promise gives up waiting. */
const REVEAL_FRAMES = 60;
/** How many times a revealed cell is checked again, as the cells around it are measured. */
const REVEAL_CHECKS = 3;
/** How many frames a notebook opened again holds the cell it was scrolled to at the top. */
const RESTORE_FRAMES = 30;
/** Room left between a revealed cell and the edge of the viewport (or the sticky header). */
const MARGIN = 8;

const sameCells = (a: readonly CellDoc[], b: readonly CellDoc[]) => a.length === b.length && a.every((cell, i) => cell === b[i]);
const sameNumbers = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((n, i) => n === b[i]);
/** A cell's id never changes: read from the plain cell, it subscribes nothing (2,000 of them as a notebook opens). */
const idOf = (cell: CellDoc): string => unwrap(cell).id;
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

export function CellList(): JSX.Element {
  const nb = useNotebook();
  let section: HTMLElement | undefined;
  const slots = new Map<string, HTMLElement>();

  // A new array only when cells come, go or move (not when one's text or outputs change).
  const cells = createMemo(() => [...renderedCells(nb)], [], { equals: sameCells });
  const byId = createMemo(() => new Map(cells().map((cell, index) => [idOf(cell), { cell, index }])));
  const notebookIndex = createMemo(() => new Map((nb.state.doc?.cells ?? []).map((cell, index) => [idOf(cell), index])));
  const notebookCount = () => nb.state.doc?.cells.length ?? 0;

  const [geometry, setGeometry] = createSignal(
    { offsetTop: 0, coveredTop: 0 },
    { equals: (a, b) => a.offsetTop === b.offsetTop && a.coveredTop === b.coveredTop },
  );
  const [revealing, setRevealing] = createSignal<CellId | null>(null);
  const pinned = createMemo(
    () => [nb.state.ui.selected, revealing()].flatMap((id) => (id === null ? [] : [byId().get(id)?.index ?? -1])).filter((i) => i >= 0),
    [],
    { equals: sameNumbers },
  );
  const rows = createMemo(() => {
    // Read when TanStack lays rows out, which may be inside a computation: keys and guesses must not subscribe it,
    // so they read plain cells, not the store's proxies (all 2,000 cells of a notebook are laid out as it opens).
    const list = cells().map((cell) => unwrap(cell));
    return {
      key: (index: number) => list[index]?.id ?? String(index),
      estimate: (index: number) => {
        const cell = list[index];
        if (!cell) return 100;
        const isEditing = cell.cell_type === 'markdown' && untrack(() => nb.state.ui.editingMarkdown[cell.id] === true);
        return estimateCellHeight(cell, isEditing);
      },
    };
  });
  const list = createWindowList(() => ({ count: cells().length, ...rows(), pinned: pinned(), ...geometry(), gap: GAP, overscan: OVERSCAN }));
  const itemById = createMemo(() => new Map(list.items().map((item) => [String(item.key), item])));
  // In the DOM in the order they appeared, not the notebook's: a cell that stays rendered is never moved (a moved
  // node loses the focus, so typing into a cell being edited would go nowhere once scrolled away from it, and its
  // frames reload). Positions are absolute, so the order shows only in which cell paints over which.
  let order: CellDoc[] = [];
  const shown = createMemo(() => {
    const next = list.items().flatMap((item) => byId().get(String(item.key))?.cell ?? []);
    const isShown = new Set(next);
    const kept = order.filter((cell) => isShown.has(cell));
    const isKept = new Set(kept);
    order = [...kept, ...next.filter((cell) => !isKept.has(cell))];
    return order;
  });

  const measureGeometry = () => {
    if (!section) return;
    const header = document.querySelector('.notebook-header');
    setGeometry({
      offsetTop: Math.round(section.getBoundingClientRect().top + window.scrollY),
      coveredTop: header ? Math.round(header.getBoundingClientRect().height) : 0,
    });
  };

  /**
   * Scrolls cell `id` into view unless some of it is already in sight (a click on a tall cell must not make the
   * page jump); false when it is not rendered. The cell is pinned first, so it is in the DOM wherever it is, and the
   * page scrolls by its real position. For a few frames after, while the cells around it are measured, it is
   * checked again, but only if it moved in the document: a person scrolling away meanwhile is not pulled back.
   */
  const scrollToCell = (id: string, checks = REVEAL_CHECKS, placedAt?: number): boolean => {
    const article = section?.querySelector(`article.cell[data-cell-id="${id}"]`);
    const checkAgain = (at?: number) =>
      requestAnimationFrame(() => requestAnimationFrame(() => waitingFor === null && revealed === id && scrollToCell(id, checks - 1, at)));
    if (!article) {
      // Pinned from inside an update: it is rendered once that update is done.
      if (checks > 0 && byId().has(id)) checkAgain();
      return false;
    }
    const box = article.getBoundingClientRect();
    const documentTop = box.top + window.scrollY;
    if (placedAt !== undefined && Math.abs(documentTop - placedAt) < 1) return true;
    const top = geometry().coveredTop;
    const bottom = window.innerHeight;
    if (box.bottom <= top || box.top >= bottom) {
      // Below: its bottom just in view, as the browser's "nearest" does; above, or taller than the room: its top.
      const fitsBelow = box.top >= bottom && box.height < bottom - top - MARGIN;
      window.scrollBy(0, fitsBelow ? box.bottom - bottom + MARGIN : box.top - top - MARGIN);
    }
    if (checks > 0) checkAgain(documentTop);
    return true;
  };

  // The contract: a newly selected cell is rendered (it is pinned) and brought into view. A cell selected before
  // it exists (inserted here, on its way to the server) is revealed when it arrives.
  let waitingFor: string | null = null;
  /** The cell being revealed: later checks of an earlier one stop. */
  let revealed: string | null = null;
  const revealWaiting = () => {
    const id = waitingFor;
    if (id === null || !byId().has(id)) return;
    waitingFor = null;
    revealed = id;
    scrollToCell(id);
  };
  // The first cell, which the notebook selects as it opens, is not revealed: a notebook opened again shows where
  // the reader was (below). The list may be made after that selection (the snapshot selects and renders in one
  // update): then there is no opening selection left to skip, and the next one is revealed.
  let isOpening = nb.state.ui.selected === null;
  createEffect(
    on(
      () => nb.state.ui.selected,
      (id, previous) => {
        // `on` gives no previous value (undefined) the first time it runs.
        const isFirstSelection = isOpening && (previous ?? null) === null;
        isOpening = false;
        if (isFirstSelection) return;
        waitingFor = id;
        revealWaiting();
      },
      { defer: true },
    ),
  );
  createEffect(on(byId, revealWaiting, { defer: true }));

  onCleanup(
    provideReveal(nb, async (id) => {
      if (!byId().has(id)) return null;
      setRevealing(id);
      revealed = id;
      scrollToCell(id);
      for (let frame = 0; frame < REVEAL_FRAMES; frame++) {
        await nextFrame();
        const box = slots.get(id)?.getBoundingClientRect();
        if (box && box.bottom > geometry().coveredTop && box.top < window.innerHeight) break;
      }
      return slots.get(id)?.querySelector<HTMLElement>('article.cell') ?? null;
    }),
  );

  // Scroll memory and sticking to the end.
  let isAtEnd = false;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const saveTopCell = () => {
    saveTimer = undefined;
    const offset = window.scrollY + geometry().coveredTop;
    const item = list.virtualizer.getVirtualItemForOffset(offset);
    // The first cell with some of it below the header (not one that ends in the gap above it).
    const top = item && item.end <= offset ? (list.virtualizer.measurementsCache[item.index + 1] ?? item) : item;
    if (top) rememberTopCell(nb.state.path, String(top.key));
  };
  const onScroll = () => {
    const root = document.documentElement;
    isAtEnd = window.scrollY > 0 && window.scrollY + window.innerHeight >= root.scrollHeight - 2;
    saveTimer ??= setTimeout(saveTopCell, 150);
  };
  createEffect(
    on(
      list.totalSize,
      () => {
        if (isAtEnd) window.scrollTo({ top: document.documentElement.scrollHeight });
      },
      { defer: true },
    ),
  );

  onMount(() => {
    measureGeometry();
    const observer = new ResizeObserver(measureGeometry);
    const main = section?.parentElement;
    if (main) observer.observe(main);
    const header = document.querySelector('.notebook-header');
    if (header) observer.observe(header);
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', measureGeometry);
    window.addEventListener('pagehide', saveTopCell);
    onCleanup(() => {
      observer.disconnect();
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', measureGeometry);
      window.removeEventListener('pagehide', saveTopCell);
      clearTimeout(saveTimer);
    });
    // Back where the reader was before a reload (the browser's own restoration can't know unmeasured heights).
    history.scrollRestoration = 'manual';
    const top = rememberedTopCell(nb.state.path);
    if (top !== null && (byId().get(top)?.index ?? 0) > 0) {
      setRevealing(top as CellId);
      revealed = top;
      // Its top just below the header, held there for a few frames while the cells around it are measured, unless
      // the person scrolls or picks another cell meanwhile.
      let frames = RESTORE_FRAMES;
      const stop = () => (frames = 0);
      for (const type of ['wheel', 'pointerdown', 'keydown', 'touchstart']) window.addEventListener(type, stop, { once: true, passive: true });
      const align = () => {
        if (frames-- <= 0 || revealed !== top) return;
        const article = section?.querySelector(`article.cell[data-cell-id="${top}"]`);
        const offset = article ? article.getBoundingClientRect().top - geometry().coveredTop : 0;
        if (Math.abs(offset) > 1) window.scrollBy(0, offset);
        requestAnimationFrame(align);
      };
      requestAnimationFrame(align);
    }
  });

  // End and Home in command mode jump at once (the browser's animated scroll would stop short when the cells it
  // passes turn out taller or shorter than guessed), and the page then stays at the end while heights settle.
  const onKeyDown = (event: KeyboardEvent) => {
    const isCommandMode = event.target instanceof Element && event.target.matches('article.cell');
    if (!isCommandMode || event.altKey || event.shiftKey || (event.key !== 'End' && event.key !== 'Home')) return;
    event.preventDefault();
    isAtEnd = event.key === 'End';
    window.scrollTo({ top: isAtEnd ? document.documentElement.scrollHeight : 0 });
  };

  return (
    <section
      ref={section}
      onKeyDown={onKeyDown}
      class="cells is-windowed"
      aria-label="Cells"
      data-cell-count={cells().length}
      style={{ height: `${list.totalSize()}px` }}
    >
      <For each={shown()}>
        {(cell) => (
          <CellSlot
            cell={cell}
            list={list}
            slots={slots}
            index={itemById().get(cell.id)?.index ?? 0}
            top={(itemById().get(cell.id)?.start ?? 0) - list.virtualizer.options.scrollMargin}
            notebookIndex={notebookIndex().get(cell.id) ?? 0}
            count={notebookCount()}
          />
        )}
      </For>
    </section>
  );
}

/** One rendered cell, placed at `top` (styles/cell-list.css) and measured while it is in the DOM. */
function CellSlot(props: {
  cell: CellDoc;
  list: WindowList;
  slots: Map<string, HTMLElement>;
  index: number;
  top: number;
  notebookIndex: number;
  count: number;
}): JSX.Element {
  let element: HTMLDivElement | undefined;
  const id = props.cell.id;
  onMount(() => {
    if (!element) return;
    props.slots.set(id, element);
    props.list.measure(element);
  });
  onCleanup(() => {
    if (props.slots.get(id) === element) props.slots.delete(id);
  });
  return (
    <div ref={element} class="cell-slot" data-index={props.index} style={{ top: `${props.top}px` }}>
      <Cell cell={props.cell} index={props.notebookIndex} count={props.count} />
    </div>
  );
}
