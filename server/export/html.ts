/**
 * A notebook as one self-contained HTML page with its outputs, safe to open: a strict Content-Security-Policy
 * (no script at all, no network, images only as data URLs, frames only sandboxed documents) on top of markup
 * that is sanitised or escaped everywhere. Nothing an output or a markdown cell contains can run.
 */
import type { CellDoc, NotebookDoc } from '../protocol/index.ts';
import { renderOutput } from './html-outputs.ts';
import { katexStylesheet } from './math.ts';
import { escapeHtml, renderMarkdown } from './sanitize.ts';

/** `frame-src data:` keeps every frame but our srcdoc ones (which the policy governs as the page's own) out. */
export const EXPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; frame-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;max-width:980px;margin:2rem auto;padding:0 1rem}
h1.title{font-size:1.1rem;color:#57606a;font-weight:500;border-bottom:1px solid #d0d7de;padding-bottom:.5rem}
.cell{margin:1rem 0;display:grid;grid-template-columns:4.5rem 1fr;gap:0 .5rem}
.prompt{color:#6e7781;font:12px/1.9 ui-monospace,monospace;text-align:right}
.body{min-width:0}
pre{margin:0;white-space:pre-wrap;word-break:break-word;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
pre.source{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.6rem .75rem}
.outputs>*{margin:.4rem 0}
.output-stream.stderr{background:#fff5f5}
.output-error{background:#fff5f5;padding:.4rem}
.output-image{max-width:100%}
iframe.output-html{width:100%;border:0;resize:vertical}
.markdown img{max-width:100%}
.markdown table{border-collapse:collapse}.markdown td,.markdown th{border:1px solid #d0d7de;padding:3px 8px}
.output-missing{color:#6e7781;font-style:italic}
.remote-image{display:inline-block;border:1px dashed #d0d7de;border-radius:6px;padding:.3rem .6rem;color:#57606a}
.katex-display{overflow-x:auto;overflow-y:hidden}
pre.raw{color:#57606a}`;

function attachmentsOf(cell: CellDoc): ((name: string) => string | undefined) | undefined {
  if (cell.cell_type === 'code' || !cell.attachments) return undefined;
  const all = cell.attachments;
  return (name) => {
    const bundle = all[name];
    if (!bundle || typeof bundle !== 'object' || Array.isArray(bundle)) return undefined;
    for (const [mime, data] of Object.entries(bundle)) {
      if (mime.startsWith('image/') && typeof data === 'string') return `data:${mime};base64,${data.replace(/\s+/g, '')}`;
    }
    return undefined;
  };
}

function renderCell(cell: CellDoc): string {
  switch (cell.cell_type) {
    case 'markdown':
      return `<section class="cell markdown-cell"><div class="prompt"></div><div class="body markdown">${renderMarkdown(cell.source, attachmentsOf(cell))}</div></section>`;
    case 'raw':
      return `<section class="cell raw-cell"><div class="prompt"></div><div class="body"><pre class="raw">${escapeHtml(cell.source)}</pre></div></section>`;
    case 'code': {
      const count = cell.execution_count === null ? ' ' : String(cell.execution_count);
      const outputs = cell.outputs.map(renderOutput).join('\n');
      return `<section class="cell code-cell"><div class="prompt">In&nbsp;[${escapeHtml(count)}]:</div><div class="body"><pre class="source">${escapeHtml(cell.source)}</pre>${outputs ? `<div class="outputs">${outputs}</div>` : ''}</div></section>`;
    }
  }
}

/** The page for `doc`, titled with the notebook's file name. */
export function toHtmlPage(doc: NotebookDoc, title: string): string {
  const body = doc.cells.map(renderCell).join('\n');
  // KaTeX's stylesheet, fonts included (about 400 kB), only in a page that shows math.
  const mathStyle = body.includes('class="katex') ? `\n<style>${katexStylesheet()}</style>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${EXPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Cellmate">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>${mathStyle}
</head>
<body>
<h1 class="title">${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}
