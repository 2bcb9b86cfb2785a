import { createResource, Show, type JSX } from 'solid-js';
import { fetchKernelsOverview, type JupyterServerState } from '../../api/kernels.ts';
import { SandboxBadge } from './SandboxBadge.tsx';

const JUPYTER_LABELS: Record<JupyterServerState, string> = {
  running: 'running',
  restarting: 'restarting',
  unreachable: 'unreachable',
  failed: 'stopped',
};

/**
 * The start page's line about where code runs: the Jupyter Server's state (`[data-jupyter-state]`), the
 * sandbox, and how many kernels are kept warm. Nothing is shown when the server has no kernels to report.
 */
export function KernelStatusLine(): JSX.Element {
  const [overview] = createResource(fetchKernelsOverview);
  const info = () => (overview.error ? undefined : overview());
  return (
    <Show when={info()}>
      {(current) => (
        <p class="kernel-status" aria-label="Kernels">
          <span data-jupyter-state={current().jupyter.state} title={current().jupyter.message ?? ''}>
            Jupyter Server ({current().jupyter.embedded ? 'embedded' : 'remote'}): {JUPYTER_LABELS[current().jupyter.state]}
            {current().jupyter.message ? ` — ${current().jupyter.message}` : ''}
          </span>
          <span class="kernel-status-sandbox">
            <SandboxBadge sandbox={current().sandbox} />
            {current().sandbox.enabled ? 'Sandboxed kernels' : 'Kernels not sandboxed'}
          </span>
          <Show when={current().pool.size > 0}>
            <span>
              Warm kernels: {current().pool.ready}/{current().pool.size}
            </span>
          </Show>
        </p>
      )}
    </Show>
  );
}
