import { For, onMount, Show, type JSX } from 'solid-js';
import { COMMAND_KEYS, EDIT_KEYS } from './command-keys.ts';
import { displayKey, isMac, shortcutSheet } from './shortcut-sheet.ts';

/** How a table key reads: `Mod` as Ctrl or Cmd, arrows as arrows, a double press as "D, D". */
function keyLabel(key: string, isDouble: boolean, mac: boolean): string {
  const shown = displayKey(key, mac).replace('ArrowUp', '↑').replace('ArrowDown', '↓');
  return isDouble ? `${shown}, ${shown}` : shown;
}

function KeyTable(props: { title: string; rows: { keys: string[]; description: string; isDouble?: boolean }[] }): JSX.Element {
  const mac = isMac();
  return (
    <section class="shortcut-section">
      <h3>{props.title}</h3>
      <table class="shortcut-table">
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr>
                <td class="shortcut-keys">
                  <For each={row.keys}>{(key) => <kbd>{keyLabel(key, row.isDouble === true, mac)}</kbd>}</For>
                </td>
                <td>{row.description}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}

/**
 * The keyboard shortcut sheet (H in command mode, or the header's button), made from the same table the keys
 * are handled with. Escape or the button closes it, and focus goes back where it was.
 */
export function ShortcutSheet(): JSX.Element {
  return (
    <Show when={shortcutSheet.isOpen()}>
      {(_open) => {
        const returnFocus = document.activeElement;
        let closeButton: HTMLButtonElement | undefined;
        const close = () => {
          shortcutSheet.close();
          if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus({ preventScroll: true });
        };
        onMount(() => closeButton?.focus());
        return (
          <div
            class="dialog-backdrop"
            onKeyDown={(event) => {
              if (event.key !== 'Escape') return;
              event.stopPropagation();
              close();
            }}
            onMouseDown={(event) => event.target === event.currentTarget && close()}
          >
            <div class="dialog shortcut-sheet" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-dialog="shortcuts">
              <h2>Keyboard shortcuts</h2>
              <div class="shortcut-columns">
                <KeyTable title="Command mode (Escape to get there)" rows={COMMAND_KEYS} />
                <KeyTable title="Edit mode (Enter to get there)" rows={EDIT_KEYS} />
              </div>
              <div class="dialog-actions">
                <button ref={closeButton} type="button" class="button" onClick={close}>
                  Close
                </button>
              </div>
            </div>
          </div>
        );
      }}
    </Show>
  );
}
