/**
 * A cell's text as CodeMirror would show it, without CodeMirror: the same lines, highlighting and box, so it can
 * stand in for an editor until one is needed and be swapped for it without the cell moving by a pixel. Creating
 * an editor costs a few milliseconds and a layout of the page each (measuring its lines); a screen of static cells
 * costs about one. The look follows theme.ts and CodeMirror's base theme (styles/notebook.css, `.static-code`).
 */
import { highlightCode } from '@lezer/highlight';
import { pythonLanguage } from '@codemirror/lang-python';
import { themedHighlightStyle } from './highlight.ts';
import type { EditorLanguage } from './languages.ts';

/** The highlight style's rules, put in the page once: an editor would mount them, but there may be none yet. */
let hasStyles = false;
function mountHighlightStyles(): void {
  if (hasStyles) return;
  hasStyles = true;
  const rules = themedHighlightStyle.module?.getRules();
  if (!rules) return;
  const style = document.createElement('style');
  style.dataset.for = 'static-code';
  style.textContent = rules;
  document.head.append(style);
}

/**
 * The lines of `text`, each a `div.static-line` (an empty one holds a `<br>`, as in CodeMirror), python
 * highlighted with the editor's colours; other languages plain (markdown is shown by an editor only while edited).
 */
export function staticCodeLines(text: string, language: EditorLanguage): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let line = document.createElement('div');
  const endLine = () => {
    line.className = 'static-line';
    if (!line.firstChild) line.append(document.createElement('br'));
    fragment.append(line);
    line = document.createElement('div');
  };
  if (language === 'python') {
    mountHighlightStyles();
    highlightCode(
      text,
      pythonLanguage.parser.parse(text),
      themedHighlightStyle,
      (code, classes) => {
        if (!classes) return line.append(code);
        const span = document.createElement('span');
        span.className = classes;
        span.textContent = code;
        line.append(span);
      },
      endLine,
    );
  } else {
    for (const [index, part] of text.split('\n').entries()) {
      if (index > 0) endLine();
      if (part) line.append(part);
    }
  }
  endLine();
  return fragment;
}

/**
 * The static view of `text`: `.static-code` (the editor's box) around `.static-content` (the lines). Long lines
 * wrap except in python, as in the editor.
 */
export function staticCode(text: string, language: EditorLanguage): HTMLElement {
  const box = document.createElement('div');
  box.className = 'static-code';
  const content = document.createElement('div');
  content.className = 'static-content';
  content.classList.toggle('is-wrapping', language !== 'python');
  content.append(staticCodeLines(text, language));
  box.append(content);
  return box;
}

/** A little of everything python cells hold, so each of the tokenizer's and highlighter's paths has run once. */
const WARM_UP_CODE = `import math\n@cache\ndef f(x: int = 1, *args, **kw) -> str:\n    """Doc."""\n    # note\n    return f"{x!r:>3}" + 'a' * 2 if x else [i ** 2 for i in range(3)]\nclass A(B):\n    y = {1: 2.5e3, 'k': None, "t": True}\nprint(f(2), A().y[1], -3 // 2, x @ y, lambda: ...)\n`;

/**
 * Highlights a few lines of python into nothing. The first highlighting in a page costs several times what the
 * next ones do (the parser's and highlighter's code is compiled as it first runs: about 20 ms for a first screen
 * of a dozen one-line cells); done while the notebook's snapshot is on its way, that is not on the first screen's
 * path. Once per page.
 */
let isWarm = false;
export function warmStaticCode(): void {
  if (isWarm) return;
  isWarm = true;
  staticCodeLines(WARM_UP_CODE, 'python');
}
