/**
 * The chat panel's place on the page: open or collapsed, and its width, kept in localStorage so a reload (or
 * another notebook) finds the panel as the person left it.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';

const KEY = 'cellmate.agent.panel';
export const MIN_WIDTH = 300;
const MAX_WIDTH = 820;
const DEFAULT_WIDTH = 380;
/** The notebook keeps at least this much room beside the panel. */
const NOTEBOOK_ROOM = 360;

export interface PanelLayout {
  isOpen: Accessor<boolean>;
  width: Accessor<number>;
  setOpen(open: boolean): void;
  /** Sets the width, kept between the panel's minimum and what leaves the notebook room. */
  setWidth(width: number): void;
}

/** The width kept between the panel's minimum and what leaves the notebook room in a window this wide. */
export function clampWidth(width: number, windowWidth: number): number {
  const max = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, windowWidth - NOTEBOOK_ROOM));
  return Math.round(Math.min(max, Math.max(MIN_WIDTH, width)));
}

function read(): { open: boolean; width: number } {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (typeof value === 'object' && value !== null && 'open' in value && 'width' in value) {
      const { open, width } = value;
      if (typeof open === 'boolean' && typeof width === 'number') return { open, width };
    }
  } catch {
    // Unreadable or refused storage: the defaults below.
  }
  // Narrow windows start with the notebook alone; the panel is one click away.
  return { open: typeof window === 'undefined' || window.innerWidth >= 900, width: DEFAULT_WIDTH };
}

export function createPanelLayout(): PanelLayout {
  const initial = read();
  const [isOpen, setIsOpen] = createSignal(initial.open);
  const [width, setWidthSignal] = createSignal(initial.width);
  const [windowWidth, setWindowWidth] = createSignal(window.innerWidth);
  const onResize = () => setWindowWidth(window.innerWidth);
  window.addEventListener('resize', onResize);
  onCleanup(() => window.removeEventListener('resize', onResize));
  const save = () => {
    try {
      localStorage.setItem(KEY, JSON.stringify({ open: isOpen(), width: width() }));
    } catch {
      // Storage refused: the layout lasts for this page.
    }
  };
  return {
    isOpen,
    width: () => clampWidth(width(), windowWidth()),
    setOpen(open) {
      setIsOpen(open);
      save();
    },
    setWidth(next) {
      setWidthSignal(clampWidth(next, windowWidth()));
      save();
    },
  };
}
