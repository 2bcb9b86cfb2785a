/**
 * A notebook as a percent-format Python script (the `# %%` convention of Jupytext, VS Code, Spyder and PyCharm):
 * each cell starts with a marker, markdown and raw cells become comments, and IPython magics and shell escapes
 * (`%matplotlib`, `!pip`) are commented out so the script runs with plain `python`. Outputs are not kept.
 */
import type { CellDoc, NotebookDoc } from '../protocol/index.ts';

/** A line IPython would treat as a magic or a shell command, which plain Python can't run. */
const MAGIC = /^\s*(%|!)/;

function commented(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '#' : `# ${line}`))
    .join('\n');
}

function cellText(cell: CellDoc): string {
  const source = cell.source.replace(/\n+$/, '');
  switch (cell.cell_type) {
    case 'code': {
      const body = source
        .split('\n')
        .map((line) => (MAGIC.test(line) ? `# ${line}` : line))
        .join('\n');
      return source === '' ? '# %%' : `# %%\n${body}`;
    }
    case 'markdown':
      return source === '' ? '# %% [markdown]' : `# %% [markdown]\n${commented(source)}`;
    case 'raw':
      return source === '' ? '# %% [raw]' : `# %% [raw]\n${commented(source)}`;
  }
}

function kernelLanguage(doc: NotebookDoc): string {
  const info = doc.metadata['language_info'];
  if (info && typeof info === 'object' && !Array.isArray(info) && typeof info['name'] === 'string') return info['name'];
  return 'python';
}

/**
 * @example
 *   toPercentScript(doc) // "# %% [markdown]\n# # Title\n\n# %%\nimport pandas as pd\n"
 */
export function toPercentScript(doc: NotebookDoc): string {
  const header = `# Exported from Cellmate (${kernelLanguage(doc)}); cells are marked with "# %%".`;
  return `${[header, ...doc.cells.map(cellText)].join('\n\n')}\n`;
}
