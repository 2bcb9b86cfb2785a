import { createSignal, onMount, type JSX } from 'solid-js';
import type { CellId } from '../../../server/protocol/ids.ts';
import { useNotebook } from '../state/index.ts';

/**
 * The line a running cell asks for (`input()`, `getpass()`): the prompt, then a field (hidden typing for a
 * password) that takes the focus, as in JupyterLab. Enter sends the answer; the server clears the request in
 * every tab once one of them answered, which removes this box. Selectors: `form.cell-input`, the field is named
 * "Cell input" and described by the prompt.
 */
export function CellInput(props: { cellId: CellId; prompt: string; password: boolean }): JSX.Element {
  const nb = useNotebook();
  const [value, setValue] = createSignal('');
  const [isSent, setSent] = createSignal(false);
  let field: HTMLInputElement | undefined;
  const promptId = `cell-input-prompt-${props.cellId}`;

  onMount(() => {
    // Don't take the focus from someone typing to the assistant or in another field.
    const active = document.activeElement;
    const isTypingElsewhere = active instanceof Element && active.closest('[data-panel], input, textarea') !== null;
    if (!isTypingElsewhere) field?.focus({ preventScroll: true });
  });

  const submit = (event: Event) => {
    event.preventDefault();
    if (isSent()) return;
    if (nb.command({ type: 'input_reply', cell_id: props.cellId, value: value() })) setSent(true);
  };

  return (
    <form class="cell-input" classList={{ 'is-sent': isSent() }} onSubmit={submit}>
      <span id={promptId} class="cell-input-prompt">
        {props.prompt}
      </span>
      <input
        ref={field}
        type={props.password ? 'password' : 'text'}
        aria-label="Cell input"
        aria-describedby={promptId}
        autocomplete="off"
        spellcheck={false}
        value={value()}
        readOnly={isSent()}
        onInput={(event) => setValue(event.currentTarget.value)}
      />
    </form>
  );
}
