import type { JSX } from 'solid-js';
import { MIN_WIDTH, type PanelLayout } from './panel-layout.ts';

const KEY_STEP = 24;

/**
 * The panel's left edge: drag it, or focus it and use ←/→ (the panel grows to the left, like the window's
 * own edge). A separator with a value, so screen readers announce the width.
 */
export function PanelResizer(props: { layout: PanelLayout }): JSX.Element {
  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0) return;
    event.preventDefault();
    const handle = event.currentTarget;
    if (!(handle instanceof HTMLElement)) return;
    handle.setPointerCapture(event.pointerId);
    const startX = event.clientX;
    const startWidth = props.layout.width();
    const onMove = (move: PointerEvent) => props.layout.setWidth(startWidth + (startX - move.clientX));
    const onUp = () => {
      handle.removeEventListener('pointermove', onMove);
      handle.removeEventListener('pointerup', onUp);
      handle.removeEventListener('pointercancel', onUp);
      document.body.classList.remove('is-resizing');
    };
    handle.addEventListener('pointermove', onMove);
    handle.addEventListener('pointerup', onUp);
    handle.addEventListener('pointercancel', onUp);
    // Text selection and iframes would otherwise swallow the drag.
    document.body.classList.add('is-resizing');
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const delta = event.key === 'ArrowLeft' ? KEY_STEP : event.key === 'ArrowRight' ? -KEY_STEP : 0;
    if (delta === 0) return;
    event.preventDefault();
    props.layout.setWidth(props.layout.width() + delta);
  };

  return (
    <div
      class="agent-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize assistant panel"
      aria-valuenow={props.layout.width()}
      aria-valuemin={MIN_WIDTH}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
