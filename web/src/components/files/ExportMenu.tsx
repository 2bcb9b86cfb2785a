import { createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { exportNotebookAs, type ExportFormat } from '../../api/files.ts';
import { UnauthorizedError } from '../../api/http.ts';
import { useNotebook } from '../../state/index.ts';
import { saveBlob } from '../file-download.ts';
import { Icon } from '../Icon.tsx';

const FORMATS: { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'ipynb', label: 'Notebook (.ipynb)', hint: 'opens in JupyterLab, VS Code, Colab' },
  { format: 'py', label: 'Python script (.py)', hint: 'cells marked with # %%' },
  { format: 'html', label: 'Web page (.html)', hint: 'with outputs, safe to share' },
];

/** "Export as…": a menu of the export formats; each item is a `menuitem` named by its label. */
export function ExportMenu(): JSX.Element {
  const nb = useNotebook();
  const [isOpen, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  let root: HTMLDivElement | undefined;

  const onOutside = (event: MouseEvent) => {
    if (root && event.target instanceof Node && !root.contains(event.target)) setOpen(false);
  };
  document.addEventListener('mousedown', onOutside);
  onCleanup(() => document.removeEventListener('mousedown', onOutside));

  const download = async (format: ExportFormat) => {
    setOpen(false);
    setBusy(true);
    try {
      const { blob, filename } = await exportNotebookAs(nb.state.path, format);
      saveBlob(blob, filename);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) nb.notify(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="menu-anchor" ref={root} onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}>
      <button type="button" class="button" aria-label="Export as…" aria-haspopup="menu" aria-expanded={isOpen()} disabled={busy()} onClick={() => setOpen(!isOpen())}>
        <Icon name="download" /> Export as…
      </button>
      <Show when={isOpen()}>
        <div class="menu" role="menu">
          <For each={FORMATS}>
            {(item) => (
              <button type="button" role="menuitem" class="menu-item" data-export-format={item.format} onClick={() => void download(item.format)}>
                <span>{item.label}</span>
                <span class="muted">{item.hint}</span>
              </button>
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}
