/**
 * Loads KaTeX (render/katex.ts) the first time something may hold math, and tells whoever rendered math as
 * source (`pendingMath`) to render again: reading `mathRenderer` inside a memo or effect subscribes to it.
 */
import { createSignal } from 'solid-js';
import { mayContainMath } from '../../../server/protocol/markdown-math.ts';
import type { MathRenderer } from './markdown.ts';

const [loaded, setLoaded] = createSignal<MathRenderer | undefined>(undefined);
let loading: Promise<void> | undefined;

function loadMath(): void {
  loading ??= import('./katex.ts').then(
    (module) => {
      setLoaded(() => module.renderMath);
    },
    () => {
      // The chunk could not load (the server went away): math stays as source; the next render tries again.
      loading = undefined;
    },
  );
}

/** KaTeX's renderer when `source` may hold math and KaTeX has loaded; starts loading it otherwise. */
export function mathRenderer(source: string): MathRenderer | undefined {
  if (!mayContainMath(source)) return undefined;
  const renderer = loaded();
  if (!renderer) loadMath();
  return renderer;
}
