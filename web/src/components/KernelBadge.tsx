import { Show, type JSX } from 'solid-js';
import { displayedKernelState, isKernelTrouble, kernelLabel, useNotebook } from '../state/index.ts';

/**
 * The kernel's state (`data-kernel-state`), "disconnected" whenever this tab can't hear the server. When the
 * kernel died or is restarting, the server's sentence about it (`.kernel-message`) is shown beside the badge.
 */
export function KernelBadge(): JSX.Element {
  const nb = useNotebook();
  const state = () => displayedKernelState(nb.state.connection, nb.state.kernel);
  const detail = () => [nb.state.kernel.name, nb.state.kernel.message].filter(Boolean).join(' — ');
  const troubleMessage = () => (isKernelTrouble(state()) && nb.state.connection === 'open' ? nb.state.kernel.message : undefined);
  return (
    <>
      <span class="kernel-badge" data-kernel-state={state()} role="status" aria-label={`Kernel ${kernelLabel(state()).toLowerCase()}`} title={detail()}>
        <span class="kernel-dot" aria-hidden="true" />
        {kernelLabel(state())}
      </span>
      <Show when={troubleMessage()}>
        {(message) => (
          <span class="kernel-message" role="status" title={message()}>
            {message()}
          </span>
        )}
      </Show>
    </>
  );
}
