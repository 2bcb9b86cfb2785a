/**
 * The language of a cell's editor. Python is bundled (most cells are code); markdown support is loaded on
 * first use because it brings HTML, CSS and JavaScript grammars along for embedded blocks.
 */
import type { Extension } from '@codemirror/state';
import { pythonLanguage } from '@codemirror/lang-python';
import type { CellType } from '../../../server/protocol/notebook.ts';

export type EditorLanguage = 'python' | 'markdown' | 'plain';

export function languageForCell(cellType: CellType): EditorLanguage {
  switch (cellType) {
    case 'code':
      return 'python';
    case 'markdown':
      return 'markdown';
    case 'raw':
      return 'plain';
  }
}

let markdownSupport: Promise<Extension> | null = null;

export function loadLanguage(language: EditorLanguage): Extension | Promise<Extension> {
  switch (language) {
    case 'python':
      // The language alone: completions come from the kernel (kernel-assist.ts), not `python()`'s word lists.
      return pythonLanguage;
    case 'plain':
      return [];
    case 'markdown':
      markdownSupport ??= import('@codemirror/lang-markdown').then(({ markdown }) => markdown());
      return markdownSupport;
  }
}
