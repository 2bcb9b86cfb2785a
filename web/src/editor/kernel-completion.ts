/**
 * A CodeMirror completion source that asks the notebook's kernel (`complete_request`). Only started by a key
 * (Tab, Ctrl+Space), never while typing, as in JupyterLab; a kernel that can't answer gives no list, quietly.
 * Positions cross the wire as code points and come back to UTF-16 offsets (see protocol/code-points.ts).
 */
import { insertCompletionText, type Completion as Option, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import type { Completion } from '../../../server/protocol/introspect.ts';
import { toCodePoints, toUtf16 } from '../../../server/protocol/code-points.ts';
import type { JSONObject } from '../../../server/protocol/notebook.ts';

/** Asks the kernel; rejects only when `signal` aborts (the person typed on). */
export type CompleteRequest = (code: string, cursorPos: number, signal: AbortSignal) => Promise<Completion>;

/** IPython's experimental types (`_jupyter_types_experimental`) as CodeMirror's icon names. */
const ICONS: Record<string, string> = {
  function: 'function',
  class: 'class',
  module: 'namespace',
  keyword: 'keyword',
  instance: 'variable',
  statement: 'variable',
  param: 'variable',
  property: 'property',
  path: 'text',
  magic: 'keyword',
};

/** Each match's type, by its text, when the kernel says. */
function typesOf(metadata: JSONObject): Map<string, string> {
  const types = new Map<string, string>();
  const list = metadata['_jupyter_types_experimental'];
  if (!Array.isArray(list)) return types;
  for (const item of list) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    const { text, type } = item;
    if (typeof text === 'string' && typeof type === 'string') types.set(text, type);
  }
  return types;
}

/** The kernel's answer as CodeMirror's result, its range in UTF-16 offsets of `code`. */
export function toCompletionResult(code: string, completion: Completion): CompletionResult | null {
  if (completion.matches.length === 0) return null;
  const types = typesOf(completion.metadata);
  const options: Option[] = completion.matches.map((label) => {
    const type = types.get(label);
    const option: Option = { label };
    if (type) {
      option.detail = type;
      const icon = ICONS[type];
      if (icon) option.type = icon;
    }
    return option;
  });
  const from = toUtf16(code, completion.cursor_start);
  const to = toUtf16(code, completion.cursor_end);
  // Typing on filters the list here; anything else (a dot, a bracket) asks the kernel again.
  return { from, to, options, validFor: /^[\w$]*$/u };
}

export function kernelCompletionSource(request: CompleteRequest, isEnabled: () => boolean) {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    if (!isEnabled()) return null;
    const code = context.state.doc.toString();
    const controller = new AbortController();
    context.addEventListener('abort', () => controller.abort(), { onDocChange: true });
    let completion: Completion;
    try {
      completion = await request(code, toCodePoints(code, context.pos), controller.signal);
    } catch {
      return null;
    }
    if (context.aborted) return null;
    const result = toCompletionResult(code, completion);
    const only = result?.options.length === 1 ? result.options[0] : undefined;
    // One match asked for with a key: put it in at once, as JupyterLab does, instead of a list of one.
    if (only && context.explicit && context.view) {
      context.view.dispatch(insertCompletionText(context.state, only.label, result!.from, result!.to ?? context.pos));
      return null;
    }
    return result;
  };
}
