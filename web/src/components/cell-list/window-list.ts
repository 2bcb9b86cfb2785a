/**
 * A list of rows of different heights scrolled by the page itself (the window), with @tanstack/virtual-core doing
 * the arithmetic: which rows are near the viewport, where each one sits, measuring rendered rows with a
 * ResizeObserver, and moving the scroll position when a row above the viewport turns out taller or shorter than
 * guessed, so what is on screen stays still. This file is the Solid side of it. (TanStack's own Solid adapter
 * forgets every measured height whenever the row count changes, which a notebook's does all the time.)
 */
import { batch, createComputed, createEffect, createSignal, on, onCleanup, onMount, untrack } from 'solid-js';
import {
  defaultRangeExtractor,
  observeWindowOffset,
  observeWindowRect,
  Virtualizer,
  windowScroll,
  type VirtualItem,
} from '@tanstack/virtual-core';

export interface WindowListOptions {
  count: number;
  /**
   * A stable key per row (a cell id): measured heights follow it when rows are inserted or moved. A new function
   * means the rows changed.
   */
  key: (index: number) => string;
  /** A row's height before it was measured. */
  estimate: (index: number) => number;
  /** Rows rendered wherever they are, e.g. the selected cell, so it keeps focus and its editor. */
  pinned: readonly number[];
  /** Distance from the document's top to the list's top, in px. */
  offsetTop: number;
  /** How much of the viewport's top something sticky covers: a row brought into view goes below it. */
  coveredTop: number;
  gap: number;
  /** Rows rendered beyond each edge of the viewport. */
  overscan: number;
}

export interface WindowList {
  /** The rows to render, in order, each with its `start` in document coordinates. */
  items(): VirtualItem[];
  /** The list's height, in px. */
  totalSize(): number;
  /** Starts measuring a rendered row: `element` carries `data-index`. */
  measure(element: HTMLElement): void;
  readonly virtualizer: Virtualizer<Window, HTMLElement>;
}

/** Creates the list's state; call inside a component (it listens to the window while that is mounted). */
export function createWindowList(options: () => WindowListOptions): WindowList {
  let refresh = () => {};
  const toOptions = (o: WindowListOptions) => ({
    count: o.count,
    getItemKey: o.key,
    estimateSize: o.estimate,
    rangeExtractor: (range: Parameters<typeof defaultRangeExtractor>[0]) => withPinned(defaultRangeExtractor(range), o.pinned, o.count),
    scrollMargin: o.offsetTop,
    scrollPaddingStart: o.coveredTop,
    scrollPaddingEnd: 24,
    gap: o.gap,
    overscan: o.overscan,
    getScrollElement: () => window,
    observeElementRect: observeWindowRect,
    observeElementOffset: observeWindowOffset,
    scrollToFn: windowScroll,
    initialRect: { width: window.innerWidth, height: window.innerHeight },
    initialOffset: () => window.scrollY,
    onChange: () => refreshSoon(),
  });
  const virtualizer = new Virtualizer<Window, HTMLElement>(toOptions(untrack(options)));
  const [items, setItems] = createSignal(virtualizer.getVirtualItems());
  const [totalSize, setTotalSize] = createSignal(virtualizer.getTotalSize());
  refresh = () =>
    batch(() => {
      setItems(virtualizer.getVirtualItems());
      setTotalSize(virtualizer.getTotalSize());
    });
  // TanStack reports each row it measures (and each scroll event) at once. Laid out again once per burst, after
  // the current task's work but before the frame: the rows rendered together are all measured before any moves
  // (no layout in between), and the 2,000 rows' positions are computed once, not once per measured row.
  let isRefreshQueued = false;
  const refreshSoon = () => {
    if (isRefreshQueued) return;
    isRefreshQueued = true;
    queueMicrotask(() => {
      isRefreshQueued = false;
      refresh();
    });
  };

  // Rows inserted, deleted or moved above the viewport would push what is being read: the row at the top of the
  // viewport keeps its place on screen instead (TanStack does this only for lists anchored at their end).
  let current = untrack(options);
  const readAnchor = () => {
    if (window.scrollY <= 0) return null;
    const item = virtualizer.getVirtualItemForOffset(window.scrollY + current.coveredTop);
    return item ? { key: item.key, start: item.start } : null;
  };
  const keepAnchor = (anchor: { key: unknown; start: number }, next: WindowListOptions) => {
    for (let index = 0; index < next.count; index++) {
      if (next.key(index) !== anchor.key) continue;
      const start = virtualizer.measurementsCache[index]?.start;
      if (start !== undefined && start !== anchor.start) window.scrollBy(0, start - anchor.start);
      return;
    }
  };
  createComputed(
    on(
      options,
      (next) => {
        const anchor = next.key !== current.key ? readAnchor() : null;
        current = next;
        virtualizer.setOptions(toOptions(next));
        refresh();
        if (anchor) keepAnchor(anchor, next);
      },
      { defer: true },
    ),
  );
  // Once the rows are in the DOM: what TanStack does after a framework has rendered (scroll corrections).
  createEffect(
    on([items, totalSize], () => {
      if (isMounted) virtualizer._willUpdate();
    }),
  );
  let isMounted = false;
  onMount(() => {
    isMounted = true;
    const stop = virtualizer._didMount();
    virtualizer._willUpdate();
    onCleanup(stop);
  });

  return {
    items,
    totalSize,
    measure: (element) => virtualizer.measureElement(element),
    virtualizer,
  };
}

/** The indexes to render: the viewport's range plus the pinned rows, in order, without repeats. */
export function withPinned(range: readonly number[], pinned: readonly number[], count: number): number[] {
  const extra = pinned.filter((index) => index >= 0 && index < count && !range.includes(index));
  if (extra.length === 0) return [...range];
  return [...range, ...extra].sort((a, b) => a - b);
}
