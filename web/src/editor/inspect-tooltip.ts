/**
 * The kernel's documentation of the name at the cursor (`inspect_request`) in a tooltip under it, as JupyterLab's
 * Shift+Tab shows it. Any typing, a cursor move or Escape closes it. IPython colours its docstrings with ANSI
 * codes: shown as colours, through the same sanitised renderer as outputs.
 */
import { StateEffect, StateField, type EditorState } from '@codemirror/state';
import { showTooltip, type EditorView, type Tooltip } from '@codemirror/view';
import type { Inspection } from '../../../server/protocol/introspect.ts';
import { toCodePoints } from '../../../server/protocol/code-points.ts';
import { hasAnsiCodes, renderAnsi } from '../render/ansi.ts';

export type InspectRequest = (code: string, cursorPos: number, signal: AbortSignal) => Promise<Inspection>;

const setDocTooltip = StateEffect.define<Tooltip | null>();

export const docTooltipField = StateField.define<Tooltip | null>({
  create: () => null,
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setDocTooltip)) return effect.value;
    return tr.docChanged || tr.selection ? null : value;
  },
  provide: (field) => showTooltip.from(field),
});

export function hasDocTooltip(state: EditorState): boolean {
  return state.field(docTooltipField, false) != null;
}

export function closeDocTooltip(view: EditorView): boolean {
  if (!hasDocTooltip(view.state)) return false;
  view.dispatch({ effects: setDocTooltip.of(null) });
  return true;
}

function docstringElement(text: string): HTMLElement {
  const dom = document.createElement('div');
  dom.className = 'inspect-tooltip';
  dom.setAttribute('role', 'tooltip');
  const pre = document.createElement('pre');
  // renderAnsi escapes the text and sanitises the markup it makes.
  if (hasAnsiCodes(text)) pre.innerHTML = renderAnsi(text);
  else pre.textContent = text;
  dom.append(pre);
  return dom;
}

/** Asks for the documentation at the cursor and shows it, unless the person typed or moved on meanwhile. */
export async function showDocumentation(view: EditorView, request: InspectRequest, signal: AbortSignal): Promise<void> {
  const asked = view.state;
  const pos = asked.selection.main.head;
  const code = asked.doc.toString();
  let inspection: Inspection;
  try {
    inspection = await request(code, toCodePoints(code, pos), signal);
  } catch {
    return;
  }
  const text = inspection.data['text/plain'];
  if (!inspection.found || typeof text !== 'string' || text === '') return;
  if (signal.aborted || view.state.doc !== asked.doc || view.state.selection.main.head !== pos) return;
  const tooltip: Tooltip = { pos, above: false, create: () => ({ dom: docstringElement(text) }) };
  view.dispatch({ effects: setDocTooltip.of(tooltip) });
}
