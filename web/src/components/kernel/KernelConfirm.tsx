import { Show, type JSX } from 'solid-js';
import { confirmedRestart, confirmedRestartAndRunAll, useNotebook, type KernelConfirm as Kind } from '../../state/index.ts';
import { Dialog } from '../files/Dialog.tsx';

const TEXTS: Record<Kind, { title: string; message: string; confirm: string }> = {
  restart: {
    title: 'Restart kernel?',
    message: 'Do you want to restart the kernel? All variables will be lost.',
    confirm: 'Restart',
  },
  restart_run_all: {
    title: 'Restart kernel and run all?',
    message: 'Do you want to restart the kernel and run every cell, top to bottom? All variables will be lost.',
    confirm: 'Restart and run all',
  },
};

/**
 * The confirmation JupyterLab asks before a restart (from the toolbar, the Run menu or 0,0): a `dialog` whose
 * confirm button is focused, so Enter restarts and Escape keeps the kernel. Focus goes back where it was.
 */
export function KernelConfirm(): JSX.Element {
  const nb = useNotebook();
  let returnFocus: Element | null = null;

  const close = () => {
    nb.setConfirm(null);
    if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus({ preventScroll: true });
  };

  return (
    <Show when={nb.state.ui.confirm}>
      {(kind) => {
        returnFocus = document.activeElement;
        const text = () => TEXTS[kind()];
        return (
          <Dialog
            title={text().title}
            message={text().message}
            confirmLabel={text().confirm}
            isDanger
            onConfirm={async () => {
              if (kind() === 'restart') confirmedRestart(nb);
              else confirmedRestartAndRunAll(nb);
            }}
            onClose={close}
          />
        );
      }}
    </Show>
  );
}
