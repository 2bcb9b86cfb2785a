export * from './cell-editor.ts';
export * from './find-marks.ts';
export * from './inline-suggestion.ts';
export * from './kernel-assist.ts';
export * from './languages.ts';
export * from './minimal-change.ts';
export * from './notebook-keymap.ts';
