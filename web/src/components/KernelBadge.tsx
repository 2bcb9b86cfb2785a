import type { JSX } from 'solid-js';
import { displayedKernelState, kernelLabel, useNotebook } from '../state/index.ts';

/** The kernel's state (`data-kernel-state`), "disconnected" whenever this tab can't hear the server. */
export function KernelBadge(): JSX.Element {
  const nb = useNotebook();
  const state = () => displayedKernelState(nb.state.connection, nb.state.kernel);
  const detail = () => [nb.state.kernel.name, nb.state.kernel.message].filter(Boolean).join(' — ');
  return (
    <span class="kernel-badge" data-kernel-state={state()} role="status" aria-label={`Kernel ${kernelLabel(state()).toLowerCase()}`} title={detail()}>
      <span class="kernel-dot" aria-hidden="true" />
      {kernelLabel(state())}
    </span>
  );
}
