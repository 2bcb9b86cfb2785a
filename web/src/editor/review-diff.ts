/**
 * The diff a cell shows while the assistant's edit to it waits for review: the cell's own editor becomes a
 * unified merge view (`@codemirror/merge`) against the source before the edit, so the person reads the change
 * where the code lives and can still type. Loaded on first use: most sessions never review anything.
 */
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

type MergeModule = typeof import('@codemirror/merge');

let mergeModule: Promise<MergeModule> | null = null;

/** Removed lines line up with the cell's own (theme.ts pads lines by 10px); the app's soft red and green. */
const reviewTheme = EditorView.theme({
  '.cm-deletedChunk': { paddingLeft: '10px', backgroundColor: 'var(--danger-soft)' },
  '.cm-changedLine': { backgroundColor: 'var(--ok-soft) !important' },
});

/** The merge view against `original`; the Accept/Reject buttons live outside the editor, so no per-chunk controls. */
export async function loadReviewDiff(original: string): Promise<Extension> {
  mergeModule ??= import('@codemirror/merge');
  const { unifiedMergeView } = await mergeModule;
  return [unifiedMergeView({ original, mergeControls: false, highlightChanges: true, gutter: true, syntaxHighlightDeletions: true }), reviewTheme];
}
