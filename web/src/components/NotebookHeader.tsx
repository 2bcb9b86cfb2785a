import { createResource, Show, type JSX } from 'solid-js';
import { fetchKernelsOverview } from '../api/kernels.ts';
import { visibleName } from '../../../server/protocol/visible-name.ts';
import { followLink, homeHref } from '../router/index.ts';
import { insertCell, insertionIndex, interruptKernel, runAll, useNotebook } from '../state/index.ts';
import { useFind } from '../state/notebook-find.ts';
import { FindBar } from './FindBar.tsx';
import { Icon } from './Icon.tsx';
import { KernelBadge } from './KernelBadge.tsx';
import { shortcutSheet } from './shortcut-sheet.ts';
import { ExportMenu } from './files/ExportMenu.tsx';
import { RenameNotebook } from './files/RenameNotebook.tsx';
import { KernelPicker } from './kernel/KernelPicker.tsx';
import { RunMenu } from './kernel/RunMenu.tsx';
import { SandboxBadge } from './kernel/SandboxBadge.tsx';
import { ThemeSwitch } from './ThemeSwitch.tsx';

/** Path, kernel (choice, sandbox, state) and the notebook-wide actions. Labels are stable: tests find buttons by them. */
export function NotebookHeader(): JSX.Element {
  const nb = useNotebook();
  const find = useFind();
  const [overview] = createResource(fetchKernelsOverview);
  const overviewError = () => (overview.error instanceof Error ? `Could not list the kernels: ${overview.error.message}` : null);
  const isOpen = () => nb.state.connection === 'open' && nb.state.doc !== null;
  const kernelUsable = () => isOpen() && nb.state.kernel.state !== 'starting' && nb.state.kernel.state !== 'restarting';

  return (
    <header class="notebook-header">
      <div class="header-row">
        <a class="back-link" href={homeHref()} aria-label="All notebooks" onClick={(event) => followLink(event, homeHref())}>
          <Icon name="back" />
        </a>
        <h1 class="notebook-path" title={visibleName(nb.state.path)}>
          {visibleName(nb.state.path)}
        </h1>
        <span class="kernel-group">
          <KernelPicker overview={overview.error ? undefined : overview()} error={overviewError()} />
          <Show when={overview.error ? undefined : overview()}>{(info) => <SandboxBadge sandbox={info().sandbox} />}</Show>
          <KernelBadge />
        </span>
        {/* A failing save stays in view (with why) until a save works again: the file on disk is older. */}
        <Show
          when={nb.state.saveError}
          fallback={
            <Show when={nb.state.lastSaved}>
              <span class="save-state muted" data-save-state="saved" title={nb.state.lastSaved ?? ''}>
                Saved
              </span>
            </Show>
          }
        >
          {(error) => (
            <span class="save-state is-failed" role="status" data-save-state="failed" title={error()}>
              Not saved
            </span>
          )}
        </Show>
        <ThemeSwitch />
      </div>
      <div class="toolbar" role="toolbar" aria-label="Notebook actions">
        <button type="button" class="button" aria-label="Run all" disabled={!isOpen()} onClick={() => runAll(nb)}>
          <Icon name="runAll" /> Run all
        </button>
        <RunMenu disabled={!isOpen()} />
        <button type="button" class="button" aria-label="Interrupt" title="Interrupt the kernel (I, I)" disabled={!isOpen()} onClick={() => interruptKernel(nb)}>
          <Icon name="stop" /> Interrupt
        </button>
        <button
          type="button"
          class="button"
          aria-label="Restart"
          title="Restart the kernel (0, 0)"
          disabled={!kernelUsable()}
          onClick={() => nb.setConfirm('restart')}
        >
          <Icon name="restart" /> Restart
        </button>
        <span class="toolbar-gap" />
        <button type="button" class="button" aria-label="Add code cell" disabled={!nb.state.doc} onClick={() => insertCell(nb, 'code', insertionIndex(nb))}>
          <Icon name="plus" /> Code
        </button>
        <button
          type="button"
          class="button"
          aria-label="Add markdown cell"
          disabled={!nb.state.doc}
          onClick={() => insertCell(nb, 'markdown', insertionIndex(nb))}
        >
          <Icon name="plus" /> Markdown
        </button>
        <span class="toolbar-gap" />
        <button
          type="button"
          class="button"
          aria-label="Find and replace"
          title="Find and replace across cells (Ctrl+F, Ctrl+H)"
          disabled={!nb.state.doc}
          onClick={() => find.open({ replace: true })}
        >
          <Icon name="search" /> Find
        </button>
        <RenameNotebook />
        <ExportMenu />
        <button type="button" class="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (H)" onClick={() => shortcutSheet.open()}>
          Keys
        </button>
      </div>
      <FindBar />
    </header>
  );
}
