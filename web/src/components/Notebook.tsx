/**
 * The notebook page. Stable hooks for end-to-end tests — keep them in sync with tests/e2e:
 * - page root: `[data-page="notebook"]` with `data-connection` = connecting|open|reconnecting|unauthorized|not_found|closed
 * - the cells: `section.cells[data-cell-count]` (how many cells are laid out). The list is windowed
 *   (cell-list/CellList.tsx): only cells near the viewport, plus the selected one, are in the DOM; a cell far away
 *   has no `article.cell` until it is scrolled to or selected (selecting reveals it: state/reveal.ts)
 * - each rendered cell: `article.cell[data-cell-id][data-cell-type="code|markdown|raw"]`, plus `data-run-status`
 *   (idle|queued|running|ok|error|aborted) and classes `is-selected`, `is-editing`, `is-running`, `is-queued`,
 *   `is-aborted`; each of several selected cells (Shift+arrows, Shift+click) also has `is-multi-selected`.
 *   Rendered cells stay in the DOM in the order they appeared, not the notebook's: `aria-posinset` (1-based) and
 *   `aria-setsize` on each say where it is
 * - execution prompt: `.cell-prompt`, text `[n]`, `[*]` while queued or running, `[ ]` never run (empty for non-code);
 *   a cell the queue dropped after an earlier failure (`aborted`) also shows `.not-run-badge` "Not run"
 * - run time, under the prompt: `.cell-timing[data-timing="running|done|failed"]` with `.cell-timing-took` (the
 *   running cell's time, ticking; or how long the last run took, from `metadata.execution`) and `.cell-timing-when`
 *   (when it ended: "14:03")
 * - why a run failed or was not run, when the outputs don't say: `.run-problem[data-run-note="error|aborted"]`
 * - outputs: `.cell-outputs` in every code cell (each output `.output[data-output-type]`); HTML outputs are
 *   `iframe.output-html`, rendered markdown cells `.markdown-rendered`; what the server's caps cut:
 *   `.output-truncated`; a long stream shows its end with a button "Show all (size)"
 * - `input()`: `form.cell-input` under the outputs, its field named "Cell input" (Enter answers)
 * - editor: CodeMirror's `.cm-content` inside the cell, aria-label "Code cell N" / "Markdown cell N" / "Raw cell N"
 *   ; in a code cell Tab opens the kernel's completions (`.cm-tooltip-autocomplete`, options `[role="option"]`) and
 *   Shift+Tab its documentation (`.inspect-tooltip`)
 * - kernel badge: `[data-kernel-state]` = not_started|starting|idle|busy|restarting|dead|disconnected, with
 *   `.kernel-message` beside it when dead or restarting; the select "Kernel" (`data-kernelspec`); the sandbox
 *   shield `.sandbox-badge[data-sandbox="on|off"]`
 * - buttons by aria-label: "Run all", "Run menu" (menu items "Run selected cell", "Run above", "Run below",
 *   "Run all", "Restart and run all"), "Interrupt", "Restart" (both restarts ask in a dialog whose button is
 *   "Restart" / "Restart and run all"), "Rename", "Export as…" (menu items by format label),
 *   "Keyboard shortcuts" (the sheet, also on H: `[role="dialog"][data-dialog="shortcuts"]`, Escape closes it),
 *   "Add code cell", "Add markdown cell"; a conflict with the file on disk: `[data-banner="conflict"]` with
 *   "Keep mine" and "Load from disk";
 *   in each cell: "Run cell", "Move up", "Move down", "Delete cell", and the select "Cell type";
 *   on the list page: "New notebook"
 * - the assistant's panel and the agent cell badges: see agent/AgentPanel.tsx
 * - find and replace (Ctrl/Cmd+F, Ctrl+H, the header's "Find and replace"): `[data-panel="find"]`, see FindBar.tsx
 */
import { createEffect, onCleanup, Show, type JSX } from 'solid-js';
import { createNotebookStore, NotebookProvider, useNotebook } from '../state/index.ts';
import { unfoldSelectedCell } from '../state/fold-commands.ts';
import { insertCell } from '../state/notebook-commands.ts';
import { AgentPanel } from './agent/AgentPanel.tsx';
import { createPanelLayout } from './agent/panel-layout.ts';
import { CellList } from './cell-list/CellList.tsx';
import { handleCommandKey } from './command-keys.ts';
import { KernelConfirm } from './kernel/KernelConfirm.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { DiskBanner } from './files/DiskBanner.tsx';
import { NotebookHeader } from './NotebookHeader.tsx';
import { NoticeToast } from './NoticeToast.tsx';
import { ShortcutSheet } from './ShortcutSheet.tsx';
import { createPendingInput, PendingInputContext } from './pending-input.ts';
import { createNotebookFind, FindProvider, useFind } from '../state/notebook-find.ts';
import { warmStaticCode } from '../editor/static-code.ts';
import { inlineCompletionSetting } from '../state/inline-completion.ts';
import { FileDropTarget } from './sidebar/FileDropTarget.tsx';
import { Sidebar } from './sidebar/Sidebar.tsx';
import { createSidebarLayout } from './sidebar/sidebar-layout.ts';
import { createWorkspaceFiles, WorkspaceFilesContext } from './sidebar/workspace-files.ts';

/** Opens `path`: one store (and one socket) for as long as the page shows this notebook. */
export function Notebook(props: { path: string }): JSX.Element {
  const store = createNotebookStore({ path: props.path });
  onCleanup(() => store.dispose());
  // The socket is connecting: time to make the first screen's highlighting cheap (static-code.ts), and to ask
  // whether the model's ghost text is on (the server's setting, read once for the page), not as cells are drawn.
  warmStaticCode();
  void inlineCompletionSetting.load();
  const find = createNotebookFind(store);
  return (
    <NotebookProvider store={store}>
      <FindProvider value={find}>
        <NotebookPage />
      </FindProvider>
    </NotebookProvider>
  );
}

function NotebookPage(): JSX.Element {
  const nb = useNotebook();
  const cells = () => nb.state.doc?.cells ?? [];
  const pendingInput = createPendingInput(() => nb.setMode('command'));
  unfoldSelectedCell(nb);
  const find = useFind();
  const panel = createPanelLayout();
  const sidebar = createSidebarLayout(() => (panel.isOpen() ? panel.width() : 44), 'files');
  const workspaceFiles = createWorkspaceFiles(() => nb.state.path);

  // In edit mode on a cell that doesn't exist yet (its insert is on the way): keep what the user types.
  createEffect(() => {
    const { selected, mode } = nb.state.ui;
    if (mode === 'edit' && selected !== null && !cells().some((cell) => cell.id === selected)) pendingInput.capture();
  });

  const onKeyDown = (event: KeyboardEvent) => {
    // Find across all cells, from anywhere in the page (a cell's editor opens it itself, with its selection).
    const isMod = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
    const key = event.key.toLowerCase();
    if (!event.defaultPrevented && isMod && (key === 'f' || (key === 'h' && event.ctrlKey))) {
      event.preventDefault();
      find.open({ replace: key === 'h' });
      return;
    }
    if (handleCommandKey(nb, event)) event.preventDefault();
  };

  return (
    <PendingInputContext.Provider value={pendingInput}>
      <div
        class="notebook-layout"
        classList={{ 'has-agent-panel': panel.isOpen(), 'has-sidebar': sidebar.active() !== null && !sidebar.isOverlay() }}
        style={{ '--agent-panel-width': panel.isOpen() ? `${panel.width()}px` : '0px' }}
      >
        <WorkspaceFilesContext.Provider value={workspaceFiles}>
          <Sidebar layout={sidebar} />
          <FileDropTarget onDrop={() => sidebar.open('files')} />
        </WorkspaceFilesContext.Provider>
        <main class="page notebook-page" data-page="notebook" data-connection={nb.state.connection} onKeyDown={onKeyDown}>
          <NotebookHeader />
          <ConnectionBanner />
          <DiskBanner />
          <Show
            when={nb.state.doc}
            fallback={
              <Show when={nb.state.connection !== 'not_found'}>
                <p class="loading muted">Opening notebook…</p>
              </Show>
            }
          >
            <CellList />
            <Show when={cells().length === 0}>
              <div class="empty-notebook">
                <p class="muted">This notebook has no cells.</p>
                <button type="button" class="button" onClick={() => insertCell(nb, 'code', 0)}>
                  Start with a code cell
                </button>
              </div>
            </Show>
            <div class="notebook-tail" aria-hidden="true" onClick={() => nb.select(null, 'command')} />
          </Show>
          <NoticeToast />
          <KernelConfirm />
          <ShortcutSheet />
          {pendingInput.element}
        </main>
        <AgentPanel layout={panel} />
      </div>
    </PendingInputContext.Provider>
  );
}
