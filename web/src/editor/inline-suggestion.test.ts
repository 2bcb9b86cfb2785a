// @vitest-environment jsdom
import { EditorState, Transaction } from '@codemirror/state';
import { EditorView, runScopeHandlers } from '@codemirror/view';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentSuggestion, inlineSuggestion } from './inline-suggestion.ts';

interface Asked {
  code: string;
  cursor: number;
  signal: AbortSignal;
  answer(text: string | null): void;
}

// jsdom lays nothing out; CodeMirror measures ranges when it scrolls the cursor into view.
Range.prototype.getClientRects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
Range.prototype.getBoundingClientRect = () => new DOMRect();

let asked: Asked[];
let enabled: boolean;
let views: EditorView[];

beforeEach(() => {
  vi.useFakeTimers();
  asked = [];
  enabled = true;
  views = [];
});
afterEach(() => {
  views.forEach((view) => view.destroy());
  vi.useRealTimers();
});

/** A focused editor whose suggestions are answered by the test; `typed` collects what reaches the notebook. */
function editor(doc = '') {
  const typed: { text: string; userEvent: string | undefined }[] = [];
  const parent = document.body.appendChild(document.createElement('div'));
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        inlineSuggestion({
          request: (code, cursor, signal) => new Promise((resolve) => asked.push({ code, cursor, signal, answer: resolve })),
          isEnabled: () => enabled,
        }),
        EditorView.updateListener.of((update) => {
          for (const tr of update.transactions) {
            if (tr.docChanged) typed.push({ text: tr.newDoc.toString(), userEvent: tr.annotation(Transaction.userEvent) });
          }
        }),
      ],
    }),
  });
  views.push(view);
  view.focus();
  return { view, typed };
}

const type = (view: EditorView, text: string) => {
  const at = view.state.selection.main.head;
  view.dispatch({ changes: { from: at, insert: text }, selection: { anchor: at + text.length }, userEvent: 'input.type' });
};
const press = (view: EditorView, key: string) => runScopeHandlers(view, new KeyboardEvent('keydown', { key }), 'editor');
const ghost = (view: EditorView) => view.dom.querySelector('.cm-ghost-text');
/** Lets the answer's promise settle. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('inline suggestions', () => {
  it('asks once typing pauses for 300 ms, and shows the answer after the cursor as plain text', async () => {
    const { view } = editor('x = ');
    view.dispatch({ selection: { anchor: 4 } });
    type(view, '1');
    type(view, '0');
    await vi.advanceTimersByTimeAsync(299);
    expect(asked).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked.map(({ code, cursor }) => [code, cursor])).toEqual([['x = 10', 6]]);
    asked[0]!.answer(' + <b>1</b>');
    await settle();
    expect(ghost(view)?.textContent).toBe(' + <b>1</b>');
    expect(ghost(view)?.children).toHaveLength(0);
    expect(view.state.doc.toString()).toBe('x = 10');
  });

  it('drops the suggestion and aborts the request on the next keystroke; a late answer is not shown', async () => {
    const { view } = editor();
    type(view, 'a');
    await vi.advanceTimersByTimeAsync(300);
    asked[0]!.answer('bc');
    await settle();
    expect(currentSuggestion(view)?.text).toBe('bc');
    type(view, 'b');
    expect(ghost(view)).toBeNull();
    await vi.advanceTimersByTimeAsync(300);
    type(view, 'c');
    expect(asked[1]!.signal.aborted).toBe(true);
    asked[1]!.answer('late');
    await settle();
    expect(ghost(view)).toBeNull();
    await vi.advanceTimersByTimeAsync(300);
    expect(asked.map((a) => a.code)).toEqual(['a', 'ab', 'abc']);
  });

  it('a cursor move or leaving the editor drops it and aborts what is in flight', async () => {
    const { view } = editor('xy');
    view.dispatch({ selection: { anchor: 2 } });
    type(view, 'z');
    await vi.advanceTimersByTimeAsync(300);
    asked[0]!.answer('!');
    await settle();
    view.dispatch({ selection: { anchor: 0 } });
    expect(ghost(view)).toBeNull();
    type(view, 'w');
    await vi.advanceTimersByTimeAsync(300);
    view.contentDOM.blur();
    // CodeMirror notices focus changes a moment later.
    await vi.advanceTimersByTimeAsync(100);
    expect(asked[1]!.signal.aborted).toBe(true);
  });

  it('Tab takes it as typing would; Tab without one is left to the next handler', async () => {
    const { view, typed } = editor();
    expect(press(view, 'Tab')).toBe(false);
    type(view, 'print(');
    await vi.advanceTimersByTimeAsync(300);
    asked[0]!.answer('"hi")');
    await settle();
    expect(press(view, 'Tab')).toBe(true);
    expect(view.state.doc.toString()).toBe('print("hi")');
    expect(view.state.selection.main.head).toBe(11);
    expect(typed.at(-1)).toEqual({ text: 'print("hi")', userEvent: 'input.complete' });
    expect(ghost(view)).toBeNull();
    // Taking a suggestion asks for no other.
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(1);
  });

  it('Escape dismisses it; with none shown Escape is left to the notebook', async () => {
    const { view } = editor();
    type(view, 'x');
    await vi.advanceTimersByTimeAsync(300);
    asked[0]!.answer(' = 1');
    await settle();
    expect(press(view, 'Escape')).toBe(true);
    expect(ghost(view)).toBeNull();
    expect(view.state.doc.toString()).toBe('x');
    expect(press(view, 'Escape')).toBe(false);
  });

  it('asks nothing while off, nor for a paste or text from elsewhere', async () => {
    const { view } = editor();
    enabled = false;
    type(view, 'x');
    await vi.advanceTimersByTimeAsync(1000);
    enabled = true;
    view.dispatch({ changes: { from: 1, insert: 'pasted' }, userEvent: 'input.paste' });
    view.dispatch({ changes: { from: 0, insert: 'remote' } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(0);
  });
});
