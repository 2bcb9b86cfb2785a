import { createSignal, Show, type JSX } from 'solid-js';
import { ApiError } from '../../api/http.ts';
import { renamePath } from '../../api/files.ts';
import { visibleName } from '../../../../server/protocol/visible-name.ts';
import { useNotebook } from '../../state/index.ts';
import { Dialog } from './Dialog.tsx';

/**
 * "Rename" for the open notebook. The server saves it, moves the file and tells every tab the new path (they
 * follow it; the kernel restarts in the notebook's folder). A name that is taken is refused with a clear message.
 */
export function RenameNotebook(): JSX.Element {
  const nb = useNotebook();
  const [isOpen, setOpen] = createSignal(false);

  const rename = async (to: string) => {
    const target = to.endsWith('.ipynb') ? to : `${to}.ipynb`;
    try {
      await renamePath(nb.state.path, target);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && /already exists/.test(error.message)) {
        throw new Error(`${visibleName(target)} already exists: choose another name.`);
      }
      throw error;
    }
  };

  return (
    <>
      <button type="button" class="button" aria-label="Rename" disabled={nb.state.doc === null} onClick={() => setOpen(true)}>
        Rename
      </button>
      <Show when={isOpen()}>
        <Dialog
          title="Rename notebook"
          message="A new name, or a path to move it to another folder."
          initialValue={nb.state.path}
          inputLabel="New name or path"
          confirmLabel="Rename"
          onConfirm={rename}
          onClose={() => setOpen(false)}
        />
      </Show>
    </>
  );
}
