/**
 * Files dragged over the notebook page show an overlay naming where they will go (the folder the Files panel
 * shows); dropped, they upload there, with progress in the Files panel, and the listing refreshes. Only drags
 * carrying files count: text dragged between cells or into an editor is left alone. File drags are caught on
 * the window before any element sees them, so an editor doesn't also paste a dropped file's text into its cell.
 * Stable hooks: `.file-drop-overlay` while dragging; the replace question is the dialog "Replace existing files?".
 */
import { createSignal, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { visibleName } from '../../../../server/protocol/visible-name.ts';
import { Dialog } from '../files/Dialog.tsx';
import { Icon } from '../Icon.tsx';
import { useWorkspaceFiles } from './workspace-files.ts';

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

export function FileDropTarget(props: { onDrop?: () => void }): JSX.Element {
  const files = useWorkspaceFiles();
  const [isDragging, setDragging] = createSignal(false);
  // dragenter/dragleave fire for every element crossed: count them to know when the drag left the window.
  let depth = 0;

  const onEnter = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    depth++;
    setDragging(true);
  };
  const onOver = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };
  const onLeave = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) setDragging(false);
  };
  const onDrop = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    depth = 0;
    setDragging(false);
    const dropped = [...(event.dataTransfer?.files ?? [])];
    if (dropped.length === 0) return;
    props.onDrop?.();
    files.request(dropped);
  };

  onMount(() => {
    window.addEventListener('dragenter', onEnter, true);
    window.addEventListener('dragover', onOver, true);
    window.addEventListener('dragleave', onLeave, true);
    window.addEventListener('drop', onDrop, true);
  });
  onCleanup(() => {
    window.removeEventListener('dragenter', onEnter, true);
    window.removeEventListener('dragover', onOver, true);
    window.removeEventListener('dragleave', onLeave, true);
    window.removeEventListener('drop', onDrop, true);
  });

  return (
    <>
      <Show when={isDragging()}>
        <div class="file-drop-overlay" aria-hidden="true">
          <div class="file-drop-card">
            <Icon name="upload" size={28} />
            <span>Drop to upload to {visibleName(files.folder()) || 'the workspace'}</span>
          </div>
        </div>
      </Show>
      <Show when={files.replacing()}>
        {(waiting) => (
          <Dialog
            title="Replace existing files?"
            message={`${waiting().names.map(visibleName).join(', ')} already ${waiting().names.length === 1 ? 'exists' : 'exist'} in ${visibleName(files.folder()) || 'the workspace'} and will be replaced.`}
            confirmLabel="Replace"
            isDanger
            onConfirm={async () => files.confirmReplace(true)}
            onClose={() => files.confirmReplace(false)}
          />
        )}
      </Show>
    </>
  );
}
