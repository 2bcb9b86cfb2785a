/**
 * Ghost text: the model's suggestion for the text at the cursor, shown after it in a muted colour until it is
 * taken (Tab) or dismissed (Escape).
 *
 * - Asked for only after typing (a character typed or deleted), once the person paused for `delayMs` (300 ms), with an
 *   empty selection, the editor focused and no completion list open.
 * - Any later change of the text, move of the cursor or loss of focus drops the suggestion shown and aborts the
 *   request in flight (the server then cancels its model request); an answer that comes back for a text or cursor
 *   that is no longer there is thrown away.
 * - Tab inserts it as typing would (a `input.complete` transaction: it reaches the server through the same path
 *   as keystrokes); without a suggestion Tab is left to the kernel's completion or indentation. Escape drops it,
 *   before it would leave the editor.
 * - The suggestion is plain text in a widget's `textContent`, never markup.
 */
import { completionStatus } from '@codemirror/autocomplete';
import { Prec, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, keymap, ViewPlugin, WidgetType, type ViewUpdate } from '@codemirror/view';

export interface InlineSuggestionSource {
  /** The text to show at `cursor` (UTF-16 offset in `code`), or null; may reject once `signal` aborts. */
  request(code: string, cursor: number, signal: AbortSignal): Promise<string | null>;
  /** Read at each keystroke: off, nothing is asked. */
  isEnabled(): boolean;
  /** The pause after typing before asking (default 300 ms). */
  delayMs?: number;
}

interface Suggestion {
  pos: number;
  text: string;
}

const setSuggestion = StateEffect.define<Suggestion | null>();

class GhostText extends WidgetType {
  constructor(readonly text: string) {
    super();
  }

  override eq(other: GhostText): boolean {
    return other.text === this.text;
  }

  toDOM(): HTMLElement {
    const span = document.createElement('span');
    span.className = 'cm-ghost-text';
    // Plain text only: whatever the model wrote, nothing in it is parsed as markup.
    span.textContent = this.text;
    span.title = 'Tab to accept, Escape to dismiss';
    return span;
  }
}

const suggestionField = StateField.define<Suggestion | null>({
  create: () => null,
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setSuggestion)) return effect.value;
    // Anything else that changes the text or moves the cursor makes the suggestion stale.
    return value && (tr.docChanged || tr.selection) ? null : value;
  },
  provide: (field) =>
    EditorView.decorations.from(field, (value) =>
      value ? Decoration.set([Decoration.widget({ widget: new GhostText(value.text), side: 1 }).range(value.pos)]) : Decoration.none,
    ),
});

/** The suggestion shown in this editor, if any. */
export function currentSuggestion(view: EditorView): Suggestion | null {
  return view.state.field(suggestionField, false) ?? null;
}

function accept(view: EditorView): boolean {
  const suggestion = currentSuggestion(view);
  if (!suggestion || completionStatus(view.state) === 'active') return false;
  const end = suggestion.pos + suggestion.text.length;
  view.dispatch({ changes: { from: suggestion.pos, insert: suggestion.text }, selection: { anchor: end }, userEvent: 'input.complete', scrollIntoView: true });
  return true;
}

function dismiss(view: EditorView): boolean {
  if (!currentSuggestion(view)) return false;
  view.dispatch({ effects: setSuggestion.of(null) });
  return true;
}

const ghostTheme = EditorView.theme({
  '.cm-ghost-text': { color: 'var(--muted, #888)', opacity: '0.75', fontStyle: 'italic', pointerEvents: 'none' },
});

export function inlineSuggestion(source: InlineSuggestionSource): Extension {
  const delayMs = source.delayMs ?? 300;
  const asker = ViewPlugin.fromClass(
    class {
      #timer: ReturnType<typeof setTimeout> | undefined;
      #inFlight: AbortController | undefined;

      constructor(readonly view: EditorView) {}

      update(update: ViewUpdate): void {
        if (!update.docChanged && !update.selectionSet && !update.focusChanged) return;
        this.#cancel();
        // Typing and deleting only: not a paste, a completion taken (this one's too) or text from elsewhere.
        const typed = update.transactions.some((tr) => tr.isUserEvent('input.type') || tr.isUserEvent('delete'));
        if (typed && update.view.hasFocus && update.state.selection.main.empty && source.isEnabled()) {
          this.#timer = setTimeout(() => void this.#ask(), delayMs);
        }
      }

      async #ask(): Promise<void> {
        const { state } = this.view;
        if (!this.view.hasFocus || completionStatus(state) !== null || !state.selection.main.empty) return;
        const controller = new AbortController();
        this.#inFlight = controller;
        const cursor = state.selection.main.head;
        let text: string | null;
        try {
          text = await source.request(state.doc.toString(), cursor, controller.signal);
        } catch {
          return;
        }
        if (this.#inFlight === controller) this.#inFlight = undefined;
        // Only for the very text and cursor it was asked for.
        if (controller.signal.aborted || !text || this.view.state.doc !== state.doc || this.view.state.selection.main.head !== cursor) return;
        this.view.dispatch({ effects: setSuggestion.of({ pos: cursor, text }) });
      }

      #cancel(): void {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#inFlight?.abort();
        this.#inFlight = undefined;
      }

      destroy(): void {
        this.#cancel();
      }
    },
  );
  return [
    suggestionField,
    asker,
    Prec.highest(
      keymap.of([
        { key: 'Tab', run: accept },
        { key: 'Escape', run: dismiss },
      ]),
    ),
    // Leaving the editor drops the suggestion (the plugin aborts what is in flight).
    EditorView.domEventHandlers({
      blur: (_event, view) => {
        if (currentSuggestion(view)) view.dispatch({ effects: setSuggestion.of(null) });
      },
    }),
    ghostTheme,
  ];
}
