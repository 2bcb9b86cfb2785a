import { createSignal, onMount, Show, type JSX } from 'solid-js';
import { escapeBidiControls, visibleName } from '../../../../server/protocol/visible-name.ts';

export interface DialogProps {
  title: string;
  message?: string;
  /** Asks for a value (rename, new folder) when given: the field starts with it. */
  initialValue?: string;
  inputLabel?: string;
  confirmLabel: string;
  isDanger?: boolean;
  /** Resolves when done; a rejection's message is shown in the dialog, which stays open to try again. */
  onConfirm: (value: string) => Promise<void>;
  onClose: () => void;
}

/**
 * A small modal for confirmations and one-field questions. Errors from the action (a name that is taken, a
 * refused path) are shown in place, so the person can correct the value instead of starting over.
 */
export function Dialog(props: DialogProps): JSX.Element {
  const [value, setValue] = createSignal(props.initialValue ?? '');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let input: HTMLInputElement | undefined;
  let confirmButton: HTMLButtonElement | undefined;

  onMount(() => {
    if (input) {
      input.focus();
      // Select the name without its extension, as file managers do.
      const dot = value().lastIndexOf('.');
      const slash = value().lastIndexOf('/');
      input.setSelectionRange(slash + 1, dot > slash + 1 ? dot : value().length);
    } else {
      confirmButton?.focus();
    }
  });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm(value().trim());
      props.onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="dialog-backdrop" onKeyDown={(event) => event.key === 'Escape' && props.onClose()}>
      <form class="dialog" role="dialog" aria-modal="true" aria-label={props.title} onSubmit={submit}>
        <h2>{props.title}</h2>
        <Show when={props.message}>
          <p>{props.message}</p>
        </Show>
        <Show when={props.initialValue !== undefined}>
          <label class="dialog-field">
            <span>{props.inputLabel ?? 'Name'}</span>
            <input ref={input} type="text" value={value()} onInput={(event) => setValue(event.currentTarget.value)} spellcheck={false} />
          </label>
          {/* A field shows a name's direction overrides as they act; here they are written out (see visible-name.ts). */}
          <Show when={visibleName(value()) !== value()}>
            <p class="muted small" data-hidden-characters="">
              With its hidden characters: {visibleName(value())}
            </p>
          </Show>
        </Show>
        <Show when={error()}>
          <p class="inline-error" role="alert">
            {escapeBidiControls(error() ?? '')}
          </p>
        </Show>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button ref={confirmButton} type="submit" class={`button ${props.isDanger ? 'danger' : 'primary'}`} disabled={busy() || (props.initialValue !== undefined && value().trim() === '')}>
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
