/**
 * The sidebar's Contents panel: the headings of the markdown cells, indented by level. A click selects the
 * heading's cell, which the cell list then renders and scrolls to (and which opens any fold hiding it); the
 * entry of the section holding the selected cell is marked current.
 * Stable hooks: `nav.toc` with buttons `.toc-entry[data-heading-cell][data-level]` (the heading's cell id; not
 * `data-cell-id`, which names rendered cells), `aria-current="location"` on the current one; `.sidebar-empty`
 * when there are no headings.
 */
import { createMemo, For, Show, type JSX } from 'solid-js';
import { notebookHeadings, type NotebookHeading } from '../../state/headings.ts';
import { useNotebook } from '../../state/index.ts';

export function TableOfContents(): JSX.Element {
  const nb = useNotebook();
  const headings = createMemo(() => notebookHeadings(nb.state.doc?.cells ?? []));
  // The last heading at or above the selected cell: the section being worked on.
  const current = createMemo(() => {
    const selected = nb.state.ui.selected;
    const index = selected === null ? -1 : (nb.state.doc?.cells.findIndex((cell) => cell.id === selected) ?? -1);
    if (index < 0) return null;
    let found: NotebookHeading | null = null;
    for (const heading of headings()) {
      if (heading.cellIndex > index) break;
      found = heading;
    }
    return found;
  });

  return (
    <Show when={headings().length > 0} fallback={<p class="sidebar-empty muted">No headings yet: start a markdown cell with # to list it here.</p>}>
      <nav class="toc" aria-label="Table of contents">
        <ol class="toc-list">
          <For each={headings()}>
            {(heading) => (
              <li class="toc-item" style={{ '--toc-level': heading.level }}>
                <button
                  type="button"
                  class="toc-entry"
                  classList={{ 'is-current': current() === heading }}
                  data-heading-cell={heading.cellId}
                  data-level={heading.level}
                  aria-current={current() === heading ? 'location' : undefined}
                  title={heading.text}
                  onClick={() => nb.select(heading.cellId, 'command')}
                >
                  {heading.text}
                </button>
              </li>
            )}
          </For>
        </ol>
      </nav>
    </Show>
  );
}
