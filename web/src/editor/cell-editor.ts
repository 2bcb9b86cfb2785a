/**
 * One CodeMirror 6 view per cell, owned outside Solid: a component creates it in `onMount`, feeds it external
 * text with `setText` and destroys it in `onCleanup`. Settings that change while the view lives (language,
 * line wrapping, read-only) go through Compartments, so the view is never rebuilt.
 */
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { Annotation, Compartment, EditorState, Transaction, type ChangeSet, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightSpecialChars, keymap, placeholder } from '@codemirror/view';
import { loadLanguage, type EditorLanguage } from './languages.ts';
import { minimalChange } from './minimal-change.ts';
import { kernelAssist, type KernelAssist } from './kernel-assist.ts';
import { inlineSuggestion, type InlineSuggestionSource } from './inline-suggestion.ts';
import { notebookKeymap, type NotebookKeyHandlers } from './notebook-keymap.ts';
import { loadReviewDiff } from './review-diff.ts';
import { themedHighlightStyle } from './highlight.ts';
import { cellEditorTheme } from './theme.ts';
import { findMarks, setFindMarks, showFindMatch, type FindMarks } from './find-marks.ts';

/** Marks transactions that carry text from elsewhere (the server), so they are not sent back as edits. */
const External = Annotation.define<true>();

export interface CellEditorOptions {
  parent: HTMLElement;
  text: string;
  language: EditorLanguage;
  /**
   * Called with each change typed here, against the text shown before it, and the text after (never for text
   * from elsewhere: `setText`, `applyChanges`).
   */
  onChange(changes: ChangeSet, text: string): void;
  onFocus?(): void;
  keys: NotebookKeyHandlers;
  /** The kernel's completions (Tab) and documentation (Shift+Tab); see kernel-assist.ts. */
  assist?: KernelAssist;
  /** The model's ghost text (Tab accepts, Escape dismisses); see inline-suggestion.ts. */
  inline?: InlineSuggestionSource;
  /** Accessible name of the editable area, e.g. "Code cell 3". */
  label: string;
  placeholderText?: string;
}

export interface CellEditor {
  readonly view: EditorView;
  /** Shows text that came from elsewhere, keeping the cursor where it can (and out of the undo history). */
  setText(text: string): void;
  /**
   * Applies changes made elsewhere, exactly as they were merged (see web/src/state/text-sync.ts), so the cursor
   * and selection map through them and stay where the person was typing; out of the undo history.
   */
  applyChanges(changes: ChangeSet): void;
  setLanguage(language: EditorLanguage): void;
  setReadOnly(readOnly: boolean): void;
  /** Shows the text as a diff against `original` (an edit of the assistant waiting for review); null shows it plain. */
  setReview(original: string | null): void;
  /** Highlights the notebook's find matches in this cell (empty ranges: none). */
  setFindMarks(marks: FindMarks): void;
  /** Selects a find match and scrolls it into view. */
  showMatch(from: number, to: number): void;
  /** The accessible name changes when cells move ("Code cell 3" becomes "Code cell 2"). */
  setLabel(label: string): void;
  focus(): void;
  hasFocus(): boolean;
  destroy(): void;
}

/** How far the sticky notebook header reaches down the window, and the room kept under the cursor. */
const HEADER_BOTTOM = 120;
const BOTTOM_ROOM = 40;

/**
 * The part of this editor the window hides (under the sticky header, below the bottom), at most the room kept
 * when the cursor scrolls into view. CodeMirror also hides tooltips (completions, documentation) in the margins:
 * fixed margins as tall as a one-line cell would hide them everywhere.
 */
function stickyHeaderMargins(view: EditorView): { top: number; bottom: number } {
  const box = view.scrollDOM.getBoundingClientRect();
  const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
  return { top: clamp(HEADER_BOTTOM - box.top, HEADER_BOTTOM), bottom: clamp(box.bottom - window.innerHeight, BOTTOM_ROOM) };
}

export function createCellEditor(options: CellEditorOptions): CellEditor {
  const languageSlot = new Compartment();
  const wrappingSlot = new Compartment();
  const readOnlySlot = new Compartment();
  const labelSlot = new Compartment();
  const reviewSlot = new Compartment();
  let languageRequest = 0;
  let reviewRequest = 0;
  let isReviewing = false;
  let hadMarks = false;
  let destroyed = false;

  const initialLanguage = loadLanguage(options.language);
  const extensions: Extension[] = [
    history(),
    drawSelection(),
    highlightSpecialChars(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    syntaxHighlighting(themedHighlightStyle, { fallback: true }),
    EditorState.tabSize.of(4),
    // Lines end in "\n" only, as on the server: a "\r" stays a character, so positions agree on both sides.
    EditorState.lineSeparator.of('\n'),
    indentUnit.of('    '),
    // Before the kernel's Tab and the notebook's Escape: ghost text shown takes them first.
    options.inline ? inlineSuggestion(options.inline) : [],
    // Before the notebook's keys: an open completion list takes the arrows and Escape first.
    options.assist ? kernelAssist(options.assist) : [],
    notebookKeymap(options.keys),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    cellEditorTheme,
    // The notebook header is sticky: keep the cursor from scrolling under it.
    EditorView.scrollMargins.of(stickyHeaderMargins),
    // Python is at hand: the view starts with it instead of being reconfigured (parsed and drawn again) at once.
    languageSlot.of(initialLanguage instanceof Promise ? [] : initialLanguage),
    wrappingSlot.of(options.language === 'python' ? [] : EditorView.lineWrapping),
    readOnlySlot.of(EditorState.readOnly.of(false)),
    labelSlot.of(EditorView.contentAttributes.of({ 'aria-label': options.label })),
    reviewSlot.of([]),
    findMarks(),
    options.placeholderText ? placeholder(options.placeholderText) : [],
    EditorView.updateListener.of((update) => {
      if (update.docChanged && !update.transactions.some((tr) => tr.annotation(External))) {
        options.onChange(update.changes, update.state.doc.toString());
      }
      if (update.focusChanged && update.view.hasFocus) options.onFocus?.();
    }),
  ];

  const view = new EditorView({ parent: options.parent, state: EditorState.create({ doc: options.text, extensions }) });

  const setLanguage = (language: EditorLanguage) => {
    const request = ++languageRequest;
    const apply = (extension: Extension) => {
      // A later request (the cell type changed again) or a destroyed view wins over a slow load.
      if (destroyed || request !== languageRequest) return;
      view.dispatch({
        effects: [languageSlot.reconfigure(extension), wrappingSlot.reconfigure(language === 'python' ? [] : EditorView.lineWrapping)],
      });
    };
    const loaded = loadLanguage(language);
    if (loaded instanceof Promise) loaded.then(apply, () => apply([]));
    else apply(loaded);
  };
  if (initialLanguage instanceof Promise) setLanguage(options.language);

  return {
    view,
    setText(text) {
      const change = minimalChange(view.state.doc.toString(), text);
      if (!change) return;
      view.dispatch({ changes: change, annotations: [External.of(true), Transaction.addToHistory.of(false)] });
    },
    applyChanges(changes) {
      // Changes made against another text would throw: the next setText puts the view right instead.
      if (changes.length !== view.state.doc.length) return;
      view.dispatch({ changes, annotations: [External.of(true), Transaction.addToHistory.of(false)] });
    },
    setLanguage,
    setReadOnly(readOnly) {
      view.dispatch({ effects: readOnlySlot.reconfigure(EditorState.readOnly.of(readOnly)) });
    },
    setReview(original) {
      const request = ++reviewRequest;
      const apply = (extension: Extension) => {
        // As with languages: the latest request wins over a slow load, and a destroyed view takes nothing.
        if (!destroyed && request === reviewRequest) view.dispatch({ effects: reviewSlot.reconfigure(extension) });
      };
      const wasReviewing = isReviewing;
      isReviewing = original !== null;
      // A view starts without a diff: nothing to take away (each reconfiguration draws the editor again).
      if (original !== null) loadReviewDiff(original).then(apply, () => apply([]));
      else if (wasReviewing) apply([]);
    },
    setFindMarks(marks) {
      // Most cells never have a match: they are not updated for nothing, as they open or as a search goes on.
      const hasMarks = marks.ranges.length > 0;
      if (!hasMarks && !hadMarks) return;
      hadMarks = hasMarks;
      setFindMarks(view, marks);
    },
    showMatch(from, to) {
      showFindMatch(view, from, to);
    },
    setLabel(label) {
      view.dispatch({ effects: labelSlot.reconfigure(EditorView.contentAttributes.of({ 'aria-label': label })) });
    },
    focus() {
      view.focus();
    },
    hasFocus() {
      return view.hasFocus;
    },
    destroy() {
      destroyed = true;
      view.destroy();
    },
  };
}
