import { describe, expect, it } from 'vitest';
import { CellId, createCell, type Output } from '../protocol/index.ts';
import { allocate, notebookOverview, shapeCells, shapeOutputs } from './context.ts';
import { describeVegaLite, imageSize } from './mime-describe.ts';
import { cutText, htmlToText, stripAnsi } from './text-shaping.ts';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`).join('\n') + '\n';

function pngBase64(width: number, height: number): string {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'ascii');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return header.toString('base64');
}

const ipythonTraceback = [
  '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m',
  '\u001b[0;31mNameError\u001b[0m                                 Traceback (most recent call last)',
  "Cell \u001b[0;32mIn[1], line 1\u001b[0m\n\u001b[0;32m----> 1\u001b[0m \u001b[38;5;28mprint\u001b[39m(total)",
  "\u001b[0;31mNameError\u001b[0m: name 'total' is not defined",
];

describe('cutText', () => {
  it('leaves text within the budget alone', () => {
    expect(cutText('short\ntext\n', 100)).toBe('short\ntext\n');
  });

  it('keeps head and tail of 100,000 lines with a note of what was cut', () => {
    const text = lines(100_000);
    const cut = cutText(text, 2000);
    expect(cut.length).toBeLessThanOrEqual(2000);
    expect(cut.startsWith('line 0\nline 1\n')).toBe(true);
    expect(cut.endsWith('line 99999\n')).toBe(true);
    const note = /\[… (\d+) lines \/ (\d+) chars cut …\]/.exec(cut);
    expect(note).not.toBeNull();
    const keptLines = cut.split('\n').filter((l) => l.startsWith('line ')).length;
    expect(Number(note![1]) + keptLines).toBe(100_000);
    expect(Number(note![2]) + cut.length - note![0].length - 1).toBe(text.length);
  });

  it('cuts by lines too, and inside a single huge line', () => {
    const byLines = cutText(lines(100), 10_000, 10);
    expect(byLines.split('\n').filter((l) => l.startsWith('line '))).toHaveLength(10);
    const oneLine = cutText('x'.repeat(50_000), 500);
    expect(oneLine.length).toBeLessThanOrEqual(500);
    expect(oneLine).toMatch(/\[… 0 lines \/ \d+ chars cut …\]/);
  });
});

describe('plain text helpers', () => {
  it('strips ANSI colours from IPython tracebacks', () => {
    const text = stripAnsi(ipythonTraceback.join('\n'));
    expect(text).not.toMatch(/\u001b/);
    expect(text).toContain("NameError: name 'total' is not defined");
    expect(text).toContain('----> 1 print(total)');
  });

  it('turns HTML into text', () => {
    const html = '<style>p{}</style><h1>Title</h1><p>a &amp; b&nbsp;&lt;c&gt;</p><table><tr><td>1</td><td>2</td></tr></table><script>x()</script>';
    expect(htmlToText(html)).toBe('Title\na & b <c>\n1 | 2');
  });
});

describe('shapeOutputs', () => {
  const opts = { maxChars: 4000, vision: false };

  it('sends a 100,000-line stream cut to the budget, and keeps the error after it whole', () => {
    const outputs: Output[] = [
      { output_type: 'stream', name: 'stdout', text: lines(100_000) },
      { output_type: 'error', ename: 'NameError', evalue: "name 'total' is not defined", traceback: ipythonTraceback },
    ];
    const { text } = shapeOutputs(outputs, opts);
    expect(text.length).toBeLessThanOrEqual(4000);
    expect(text).toContain('line 0\n');
    expect(text).toContain('line 99999\n');
    expect(text).toMatch(/lines \/ \d+ chars cut/);
    expect(text).toContain("[error] NameError: name 'total' is not defined");
    expect(text).toContain('----> 1 print(total)');
  });

  it('describes images for a model without vision and attaches them for one with vision', () => {
    const data = { 'image/png': pngBase64(640, 480), 'text/plain': '<Figure size 640x480 with 1 Axes>' };
    const outputs: Output[] = [{ output_type: 'display_data', data, metadata: {} }];
    expect(shapeOutputs(outputs, opts)).toEqual({ text: '[image/png 640x480 chart]', images: [] });
    const vision = shapeOutputs(outputs, { ...opts, vision: true });
    expect(vision.text).toBe('[image/png 640x480 chart] (attached as an image)');
    expect(vision.images[0]!.url).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(imageSize('image/png', pngBase64(3, 2))).toEqual({ width: 3, height: 2 });
  });

  it('describes a vega-lite chart by mark, encodings and rows', () => {
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v4.17.0.json',
      data: { name: 'data-1' },
      datasets: { 'data-1': [{ region: 'N', sales: 3 }, { region: 'S', sales: 5 }] },
      mark: { type: 'bar' },
      encoding: { x: { field: 'region', type: 'nominal' }, y: { field: 'sales', aggregate: 'sum', type: 'quantitative' } },
      title: 'Sales',
    };
    const outputs: Output[] = [{ output_type: 'display_data', data: { 'application/vnd.vegalite.v4+json': spec, 'text/plain': '<VegaLite 4 object>' }, metadata: {} }];
    expect(shapeOutputs(outputs, opts).text).toBe(
      '[vega-lite chart: bar; x=region:nominal, y=sum(sales):quantitative; 2 rows; first row {"region":"N","sales":3}; title "Sales"]',
    );
    expect(describeVegaLite({ layer: [{ mark: 'line' }, { mark: 'point' }], data: { values: [] } }, 'v')).toBe('[vega-lite chart: layers of line + point; 0 rows]');
  });

  it('shows a DataFrame as shape, columns and first rows', () => {
    const html =
      '<div><table border="1" class="dataframe"><thead><tr style="text-align: right;"><th></th><th>region</th><th>sales</th></tr></thead>' +
      '<tbody><tr><th>0</th><td>N</td><td>3</td></tr><tr><th>...</th><td>...</td><td>...</td></tr></tbody></table><p>1000 rows × 2 columns</p></div>';
    const plain = '    region  sales\n0        N      3\n..     ...    ...\n999      S      5\n\n[1000 rows x 2 columns]';
    const outputs: Output[] = [{ output_type: 'execute_result', execution_count: 4, data: { 'text/html': html, 'text/plain': plain }, metadata: {} }];
    const { text } = shapeOutputs(outputs, opts);
    expect(text).toBe(`[result]\nDataFrame: 1000 rows × 2 columns (region, sales)\n${plain}`);
  });

  it('uses HTML as text when there is no better text', () => {
    const outputs: Output[] = [{ output_type: 'display_data', data: { 'text/html': '<b>Hello</b> <i>world</i>' }, metadata: {} }];
    expect(shapeOutputs(outputs, opts).text).toBe('Hello world');
  });

  it('keeps only the first and last of very many outputs', () => {
    const outputs: Output[] = Array.from({ length: 500 }, (_, i) => ({ output_type: 'display_data' as const, data: { 'text/plain': `out ${i}` }, metadata: {} }));
    const { text } = shapeOutputs(outputs, opts);
    expect(text).toContain('out 0\n');
    expect(text).toContain('[… 460 outputs cut …]');
    expect(text.endsWith('out 499')).toBe(true);
  });
});

describe('budgets', () => {
  it('gives short texts all they need and splits the rest', () => {
    expect(allocate([10, 1000, 5000], 1000)).toEqual([10, 495, 495]);
    expect(allocate([10, 20], 1000)).toEqual([10, 20]);
  });

  it('shapes cells with ids and authors, and an overview', () => {
    const a = createCell('code', 'import pandas as pd\ndf = pd.read_csv("sales.csv")', CellId.from('aaaa'));
    const b = { ...createCell('markdown', '# Notes', CellId.from('bbbb')), metadata: { cellmate: { author: 'agent', turn: 't1', model: 'm' } } };
    const doc = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [a, b] };
    expect(notebookOverview(doc, 'sales.ipynb')).toBe(
      'The notebook "sales.ipynb" has 2 cells:\n- aaaa · code · not run · import pandas as pd (+1 lines)\n- bbbb · markdown · # Notes',
    );
    const { text } = shapeCells(doc.cells, { maxChars: 2000, vision: false });
    expect(text).toContain('### cell aaaa · code · not run · written by the person\n```python\nimport pandas as pd');
    expect(text).toContain('### cell bbbb · markdown · written by you (the agent)\n# Notes');
  });
});
