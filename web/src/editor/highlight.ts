/**
 * Syntax colours as CSS variables (styles/theme.css sets a light and a dark palette), so switching the theme
 * recolours every editor through CSS alone: no editor is reconfigured. Tags and weights follow CodeMirror's
 * defaultHighlightStyle; the colours are ours, readable on the code background of each theme.
 */
import { HighlightStyle } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

export const themedHighlightStyle = HighlightStyle.define([
  { tag: t.meta, color: 'var(--code-meta)' },
  { tag: t.link, textDecoration: 'underline' },
  { tag: t.heading, textDecoration: 'underline', fontWeight: 'bold' },
  { tag: t.emphasis, fontStyle: 'italic' },
  { tag: t.strong, fontWeight: 'bold' },
  { tag: t.strikethrough, textDecoration: 'line-through' },
  { tag: t.keyword, color: 'var(--code-keyword)' },
  { tag: [t.atom, t.bool, t.url, t.contentSeparator, t.labelName], color: 'var(--code-atom)' },
  { tag: [t.literal, t.inserted], color: 'var(--code-number)' },
  { tag: [t.string, t.deleted], color: 'var(--code-string)' },
  { tag: [t.regexp, t.escape, t.special(t.string)], color: 'var(--code-escape)' },
  { tag: t.definition(t.variableName), color: 'var(--code-definition)' },
  { tag: t.local(t.variableName), color: 'var(--code-local)' },
  { tag: [t.typeName, t.namespace], color: 'var(--code-type)' },
  { tag: t.className, color: 'var(--code-class)' },
  { tag: [t.special(t.variableName), t.macroName], color: 'var(--code-builtin)' },
  { tag: t.definition(t.propertyName), color: 'var(--code-property)' },
  { tag: t.comment, color: 'var(--code-comment)', fontStyle: 'italic' },
  { tag: t.invalid, color: 'var(--code-invalid)' },
]);
