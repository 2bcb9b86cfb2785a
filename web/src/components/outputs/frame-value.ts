/**
 * A reactive value that follows `source` at most once per animation frame. Output floods arrive as a stream of
 * whole-output updates; rendering each (re-laying out a long <pre>, re-colouring it) would take more time than
 * the frame has. The latest value always wins; nothing in between is rendered.
 */
import { createComputed, createSignal, onCleanup, untrack, type Accessor } from 'solid-js';

/** A hidden tab gets no animation frames: a timer makes sure the latest value still lands. */
const FALLBACK_MS = 100;

export function createFrameValue<T>(source: Accessor<T>): Accessor<T> {
  let latest = untrack(source);
  const [value, setValue] = createSignal<T>(latest);
  let frame: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isFirst = true;

  const flush = () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
    frame = timer = undefined;
    setValue(() => latest);
  };

  createComputed(() => {
    latest = source();
    // The first run only subscribes: the signal already holds this value.
    if (isFirst) {
      isFirst = false;
      return;
    }
    if (frame !== undefined || timer !== undefined) return;
    frame = requestAnimationFrame(flush);
    timer = setTimeout(flush, FALLBACK_MS);
  });

  onCleanup(() => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  });
  return value;
}
