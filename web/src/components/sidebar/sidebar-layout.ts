/**
 * The left sidebar's state: which panel is open (or none), kept in localStorage so a reload or another
 * notebook finds the sidebar as the person left it. In a window too narrow for the sidebar, the assistant's
 * panel and a usable notebook side by side, the open sidebar floats over the notebook instead of pushing it,
 * and a page opened in such a window starts with the sidebar closed.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';

const KEY = 'cellmate.sidebar';
/** Width of the open panel beside the rail of tabs. */
export const SIDEBAR_PANEL_WIDTH = 232;
export const SIDEBAR_RAIL_WIDTH = 40;
/** The notebook keeps at least this much room beside an open sidebar, or the sidebar floats over it. */
const NOTEBOOK_ROOM = 600;

export interface SidebarLayout {
  /** The open panel's id, or null when only the rail shows. */
  active: Accessor<string | null>;
  /** True when the open sidebar floats over the notebook (the window is too narrow to push it). */
  isOverlay: Accessor<boolean>;
  open(id: string): void;
  close(): void;
  /** A click on a tab: opens its panel, or closes the sidebar if that panel is the one open. */
  toggle(id: string): void;
}

/** Whether a sidebar beside the other panel (`besideWidth` px) leaves the notebook room in a window this wide. */
export function isTooNarrow(windowWidth: number, besideWidth: number): boolean {
  return windowWidth - besideWidth - SIDEBAR_RAIL_WIDTH - SIDEBAR_PANEL_WIDTH < NOTEBOOK_ROOM;
}

function read(): string | null | undefined {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (typeof value === 'object' && value !== null && 'active' in value) {
      const { active } = value;
      if (active === null || typeof active === 'string') return active;
    }
  } catch {
    // Unreadable or refused storage: the default below.
  }
  return undefined;
}

/**
 * @param besideWidth the width the assistant's panel takes on the right, now
 * @param defaultPanel the panel open on a first visit in a wide window
 */
export function createSidebarLayout(besideWidth: Accessor<number>, defaultPanel: string): SidebarLayout {
  const [windowWidth, setWindowWidth] = createSignal(window.innerWidth);
  const onResize = () => setWindowWidth(window.innerWidth);
  window.addEventListener('resize', onResize);
  onCleanup(() => window.removeEventListener('resize', onResize));
  const stored = read();
  const startsNarrow = isTooNarrow(window.innerWidth, besideWidth());
  const [active, setActive] = createSignal<string | null>(startsNarrow ? null : stored === undefined ? defaultPanel : stored);
  const set = (id: string | null) => {
    setActive(id);
    try {
      localStorage.setItem(KEY, JSON.stringify({ active: id }));
    } catch {
      // Storage refused: the layout lasts for this page.
    }
  };
  return {
    active,
    isOverlay: () => isTooNarrow(windowWidth(), besideWidth()),
    open: (id) => set(id),
    close: () => set(null),
    toggle: (id) => set(active() === id ? null : id),
  };
}
