/**
 * The notebook's find matches shown in one cell's editor. The matches come from the notebook-wide search over
 * the document model (web/src/state/find.ts), not from the editor, so what is highlighted is exactly what the
 * bar counts, in every cell, rendered or not. Between two searches the marks map through typing.
 */
import { EditorSelection, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

export interface FindMarks {
  ranges: readonly { from: number; to: number }[];
  /** Index in `ranges` of the notebook's current match, or -1 when it is in another cell. */
  current: number;
}

const setMarks = StateEffect.define<FindMarks>();
const match = Decoration.mark({ class: 'cm-find-match' });
const current = Decoration.mark({ class: 'cm-find-match cm-find-current' });

const marksField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    let next = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setMarks)) continue;
      const length = tr.state.doc.length;
      // Marks computed from the model's text: any that don't fit this text (a change on its way) are left out.
      const ranges = effect.value.ranges
        .map((range, i) => ({ ...range, isCurrent: i === effect.value.current }))
        .filter((range) => range.from < range.to && range.to <= length);
      next = Decoration.set(ranges.map((range) => (range.isCurrent ? current : match).range(range.from, range.to)));
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function findMarks(): Extension {
  return marksField;
}

export function setFindMarks(view: EditorView, marks: FindMarks): void {
  view.dispatch({ effects: setMarks.of(marks) });
}

/** Selects a match and scrolls it to the middle of the view (the page's scroller included). */
export function showFindMatch(view: EditorView, from: number, to: number): void {
  const length = view.state.doc.length;
  if (to > length) return;
  view.dispatch({ selection: EditorSelection.single(from, to), effects: EditorView.scrollIntoView(EditorSelection.range(from, to), { y: 'center' }) });
}

/** Whether two sets of marks show the same thing (so an editor is not updated for nothing). */
export function sameFindMarks(a: FindMarks, b: FindMarks): boolean {
  return a.current === b.current && a.ranges.length === b.ranges.length && a.ranges.every((range, i) => range.from === b.ranges[i]!.from && range.to === b.ranges[i]!.to);
}
