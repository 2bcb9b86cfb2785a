import { createSignal, For, Show, type JSX } from 'solid-js';
import { switchKernel, type KernelsOverview } from '../../api/kernels.ts';
import { UnauthorizedError } from '../../api/http.ts';
import { notebookKernelspec, useNotebook } from '../../state/index.ts';

/**
 * The notebook's kernel (`select` named "Kernel", `data-kernelspec` = the current name), from the kernelspecs
 * the Jupyter Server offers. Choosing another switches it on the server: the notebook's `kernelspec` metadata
 * changes for every tab and a new kernel starts. A spec the server lacks stays shown, marked "not installed".
 */
export function KernelPicker(props: { overview: KernelsOverview | undefined; error: string | null }): JSX.Element {
  const nb = useNotebook();
  const [switching, setSwitching] = createSignal<string | null>(null);
  const current = () => switching() ?? (nb.state.doc ? notebookKernelspec(nb.state.doc.metadata) : null) ?? props.overview?.default ?? '';
  const specs = () => props.overview?.specs ?? [];
  // Until the list arrives (or when the server lacks the notebook's spec) the current name is an option of its own.
  const isMissing = () => current() !== '' && !specs().some((spec) => spec.name === current());
  const missingLabel = () => (props.overview ? `${current()} (not installed)` : current());

  const choose = async (name: string) => {
    if (name === current()) return;
    setSwitching(name);
    try {
      await switchKernel(nb.state.path, name);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) nb.notify(`Could not switch the kernel: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setSwitching(null);
    }
  };

  return (
    <select
      class="kernel-picker"
      aria-label="Kernel"
      data-kernelspec={current()}
      title={props.error ?? 'The kernel that runs this notebook'}
      value={current()}
      disabled={switching() !== null || props.overview === undefined || nb.state.doc === null}
      onChange={(event) => void choose(event.currentTarget.value)}
    >
      <Show when={isMissing()}>
        <option value={current()} selected>
          {missingLabel()}
        </option>
      </Show>
      {/* `selected` on the option, not only `value` on the select: the options may arrive after the value. */}
      <For each={specs()}>
        {(spec) => (
          <option value={spec.name} selected={spec.name === current()}>
            {spec.display_name}
          </option>
        )}
      </For>
    </select>
  );
}
