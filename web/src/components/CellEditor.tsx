import { createEffect, createMemo, getOwner, on, onCleanup, onMount, runWithOwner, untrack, type JSX } from 'solid-js';
import type { CellDoc } from '../../../server/protocol/notebook.ts';
import { createCellEditor, languageForCell, sameFindMarks, staticCode, whenIdle, type CellEditor as Editor } from '../editor/index.ts';
import { cellIndex, runCell, selectRelative, useNotebook } from '../state/index.ts';
import { useFind } from '../state/notebook-find.ts';
import { usePendingInput } from './pending-input.ts';
import { requestCompletion, requestInspection } from '../api/introspect.ts';
import { requestInlineCompletion } from '../api/inline-completion.ts';
import { inlineCompletionSetting } from '../state/inline-completion.ts';
import { toCodePoints } from '../../../server/protocol/code-points.ts';
import { splitCell } from '../state/cell-commands.ts';

const TYPE_NAMES = { code: 'Code', markdown: 'Markdown', raw: 'Raw' } as const;

/**
 * The CodeMirror editor of one cell. The view is destroyed on cleanup; the cell object keeps its identity across
 * edits (the store reconciles by id), so the view lives as long as the cell does.
 *
 * A cell shows its text statically first (editor/static-code.ts: same lines, colours and height) and gets its
 * editor when the page is next idle, or at once when it is needed: being edited, clicked, showing a find match or
 * an edit under review, or a markdown cell being edited (the cell selected as a notebook opens, in command mode,
 * waits like the others). So a notebook's first screen is painted without creating a
 * dozen editors, each of which measures itself against the page's layout.
 */
export function CellEditor(props: { cell: CellDoc; index: number; reviewOriginal: string | null }): JSX.Element {
  const nb = useNotebook();
  const pendingInput = usePendingInput();
  const find = useFind();
  const owner = getOwner();
  const id = props.cell.id;
  let host: HTMLDivElement | undefined;
  let editor: Editor | undefined;
  let isDisposed = false;
  const label = () => `${TYPE_NAMES[props.cell.cell_type]} cell ${props.index + 1}`;
  const isSelected = () => nb.state.ui.selected === id;
  const marks = createMemo(() => find.marksIn(id), undefined, { equals: sameFindMarks });
  /** Whether the editor is wanted now rather than when the page is idle. */
  const isNeeded = () =>
    (isSelected() && nb.state.ui.mode === 'edit') || props.cell.cell_type === 'markdown' || props.reviewOriginal !== null || marks().ranges.length > 0 || find.revealFor(id) !== null;

  /** Creates the view (once), in place of the static text. */
  const start = (): Editor | undefined => {
    if (editor || isDisposed || !host) return editor;
    host.replaceChildren();
    runWithOwner(owner, () => (editor = mountEditor(host!)));
    return editor;
  };

  const mountEditor = (parent: HTMLElement): Editor => {
    const view = createCellEditor({
      parent,
      text: props.cell.source,
      language: languageForCell(props.cell.cell_type),
      label: label(),
      placeholderText: props.cell.cell_type === 'markdown' ? 'Write markdown, then Shift+Enter' : undefined,
      onChange: (changes) => nb.typeText(id, changes),
      onFocus: () => {
        if (!isSelected() || nb.state.ui.mode !== 'edit') nb.select(id, 'edit');
      },
      // The notebook's kernel completes and documents code cells (the path is read when asked: it may be renamed).
      assist: {
        complete: (code, cursorPos, signal) => requestCompletion(nb.state.path, code, cursorPos, signal),
        inspect: (code, cursorPos, signal) => requestInspection(nb.state.path, code, cursorPos, signal),
        isEnabled: () => props.cell.cell_type === 'code',
      },
      // The model's ghost text in code cells, when the server's setting is on.
      inline: {
        request: (code, cursor, signal) => requestInlineCompletion(nb.state.path, { cell_id: id, code, cursor_pos: toCodePoints(code, cursor) }, signal),
        isEnabled: () => props.cell.cell_type === 'code' && inlineCompletionSetting.isOn(),
      },
      keys: {
        run: (then) => runCell(nb, id, then, 'keyboard'),
        leave: () => nb.setMode('command'),
        previousCell: () => moveFocus(-1),
        nextCell: () => moveFocus(1),
        split: (editorView) => {
          const { from, to } = editorView.state.selection.main;
          splitCell(nb, id, from, to);
        },
        find: (editorView, replace) => {
          const { from, to } = editorView.state.selection.main;
          find.open({ replace, from: { cellId: id, offset: from }, selectedText: editorView.state.sliceDoc(from, to) });
        },
      },
    });
    // Others' typing, merged with ours: applied as the exact changes, so the cursor stays where it was.
    onCleanup(nb.onRemoteText(id, (changes) => view.applyChanges(changes)));

    // Text from the server (other tabs, the agent, a reconnect): applied without losing the cursor.
    createEffect(on(() => props.cell.source, (source) => view.setText(source), { defer: true }));
    createEffect(on(() => props.cell.cell_type, (type) => view.setLanguage(languageForCell(type)), { defer: true }));
    createEffect(on(label, (text) => view.setLabel(text), { defer: true }));
    // An edit of the assistant waiting for review shows as a diff against the source before it.
    createEffect(on(() => props.reviewOriginal, (original) => view.setReview(original)));
    // The notebook's find: this cell's matches highlighted, and the match to go to selected once shown.
    createEffect(() => view.setFindMarks(marks()));
    createEffect(() => {
      const target = find.revealFor(id);
      if (!target) return;
      view.showMatch(target.from, target.to);
      find.takeReveal(target);
    });
    createEffect(() => {
      if (!isSelected() || nb.state.ui.mode !== 'edit' || view.hasFocus()) return;
      view.focus();
      // Typed while this cell was being created: it belongs here, as if typed here.
      const early = pendingInput?.take() ?? '';
      if (early) {
        const end = view.view.state.doc.length;
        view.view.dispatch({ changes: { from: end, insert: early }, selection: { anchor: end + early.length }, userEvent: 'input.type' });
      }
    });
    return view;
  };

  /**
   * A press on the static text: the editor is created in its place and given the same press, so the cursor lands
   * (or a selection starts) where the person pressed, as if the editor had been there all along.
   */
  const onStaticMouseDown = (event: MouseEvent) => {
    const view = start()?.view;
    if (!view) return;
    event.preventDefault();
    event.stopPropagation();
    view.contentDOM.dispatchEvent(new MouseEvent('mousedown', event));
  };

  /** The static text, listening for a press. */
  const staticView = (text: string) => {
    const box = staticCode(text, languageForCell(props.cell.cell_type));
    box.addEventListener('mousedown', onStaticMouseDown);
    return box;
  };
  // Rendered with the cell, so the cell has its height when the list first measures it.
  const isStatic = !untrack(isNeeded);
  const firstView = isStatic ? untrack(() => staticView(props.cell.source)) : null;

  onMount(() => {
    if (!host) return;
    if (!isStatic) {
      start();
      return;
    }
    // While static, text from elsewhere (or a new cell type) is drawn again; few cells change before they are idle.
    createEffect(
      on(
        [() => props.cell.source, () => props.cell.cell_type],
        ([text]) => {
          if (!editor) host?.replaceChildren(staticView(text));
        },
        { defer: true },
      ),
    );
    createEffect(() => {
      if (isNeeded()) start();
    });
    onCleanup(whenIdle(start));
  });

  onCleanup(() => {
    isDisposed = true;
    editor?.destroy();
  });

  /** Arrow keys at the edge of a cell continue into the neighbour's editor, as in JupyterLab. */
  const moveFocus = (delta: -1 | 1): boolean => {
    const cells = nb.state.doc?.cells ?? [];
    const target = cells[cellIndex(nb, id) + delta];
    if (!target) return false;
    if (target.cell_type === 'markdown' && !nb.state.ui.editingMarkdown[target.id]) {
      selectRelative(nb, delta);
      return true;
    }
    nb.select(target.id, 'edit');
    return true;
  };

  return (
    <div class="cell-editor" ref={host}>
      {firstView}
    </div>
  );
}
