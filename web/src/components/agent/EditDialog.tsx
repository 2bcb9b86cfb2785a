/**
 * The assistant panel's editing dialogs (project rules, prices): a titled form whose Save runs `onSave`. A
 * failure's message shows in place and the dialog stays open to try again; Escape or Cancel closes it.
 */
import { createSignal, Show, type JSX } from 'solid-js';

export interface EditDialogProps {
  title: string;
  /** Classes beside `dialog`. */
  class: string;
  saveLabel: string;
  /** Saves; a rejection's message is shown in the dialog. */
  onSave: () => Promise<void>;
  onClose: () => void;
  children: JSX.Element;
}

export function EditDialog(props: EditDialogProps): JSX.Element {
  const [problem, setProblem] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await props.onSave();
      props.onClose();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="dialog-backdrop" onKeyDown={(event) => event.key === 'Escape' && props.onClose()}>
      <form class={`dialog ${props.class}`} role="dialog" aria-modal="true" aria-label={props.title} onSubmit={submit}>
        <h2>{props.title}</h2>
        {props.children}
        <Show when={problem()}>
          <p class="agent-error" role="alert">
            {problem()}
          </p>
        </Show>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={busy()}>
            {props.saveLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
