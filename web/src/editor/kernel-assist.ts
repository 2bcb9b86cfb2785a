/**
 * The kernel's help in a code cell's editor, with JupyterLab's keys: Tab completes (`complete_request`) and
 * Shift+Tab shows the documentation of the name at the cursor (`inspect_request`), except where the cursor
 * has only whitespace before it on its line, or text is selected: there they indent and dedent as before.
 * With a completion list open, Tab takes the selected option (Enter too), Escape closes it; Escape also closes
 * the documentation, before it would leave the cell.
 *
 * Listed before the notebook's own keys (also highest precedence) so that, while a list is open, the arrows
 * move in it instead of into the next cell.
 */
import { acceptCompletion, autocompletion, completionStatus, startCompletion } from '@codemirror/autocomplete';
import { Prec, type EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { kernelCompletionSource, type CompleteRequest } from './kernel-completion.ts';
import { closeDocTooltip, docTooltipField, showDocumentation, type InspectRequest } from './inspect-tooltip.ts';

export interface KernelAssist {
  complete: CompleteRequest;
  inspect: InspectRequest;
  /** False in markdown and raw cells: the keys are then the editor's own. */
  isEnabled(): boolean;
}

/** Whether Tab should indent here rather than ask the kernel, as JupyterLab decides. */
export function isIndentPosition(state: EditorState): boolean {
  const { main } = state.selection;
  if (!main.empty || state.selection.ranges.length > 1) return true;
  const line = state.doc.lineAt(main.head);
  return line.text.slice(0, main.head - line.from).trim() === '';
}

/** The list and the documentation in the page's colours (light and dark follow the CSS variables). */
const assistTheme = EditorView.theme({
  '.cm-tooltip': {
    backgroundColor: 'var(--surface)',
    color: 'var(--text)',
    border: '1px solid var(--border-strong)',
    borderRadius: '6px',
    boxShadow: '0 6px 20px rgb(0 0 0 / 18%)',
    overflow: 'hidden',
  },
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: 'var(--mono)', fontSize: '12.5px', maxHeight: '16em' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li': { padding: '2px 8px' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--on-accent)' },
  '.cm-completionDetail': { marginLeft: '1em', fontStyle: 'normal', opacity: '0.7' },
  '.inspect-tooltip': { maxWidth: 'min(680px, 80vw)', maxHeight: '320px', overflow: 'auto' },
  '.inspect-tooltip pre': {
    margin: '0',
    padding: '8px 10px',
    fontFamily: 'var(--mono)',
    fontSize: '12px',
    lineHeight: '1.45',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
});

export function kernelAssist(assist: KernelAssist): Extension {
  let inspecting: AbortController | undefined;
  const inspect = (view: EditorView) => {
    inspecting?.abort();
    const controller = new AbortController();
    inspecting = controller;
    void showDocumentation(view, assist.inspect, controller.signal);
    return true;
  };
  return [
    Prec.highest(
      keymap.of([
        {
          key: 'Tab',
          run: (view) => {
            if (completionStatus(view.state) === 'active') return acceptCompletion(view);
            if (!assist.isEnabled() || isIndentPosition(view.state)) return false;
            return startCompletion(view);
          },
        },
        { key: 'Shift-Tab', run: (view) => assist.isEnabled() && !isIndentPosition(view.state) && inspect(view) },
        { key: 'Escape', run: closeDocTooltip },
      ]),
    ),
    autocompletion({
      override: [kernelCompletionSource(assist.complete, () => assist.isEnabled())],
      activateOnTyping: false,
      closeOnBlur: true,
    }),
    docTooltipField,
    assistTheme,
  ];
}
