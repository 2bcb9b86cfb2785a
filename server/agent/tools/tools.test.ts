import { describe, expect, it } from 'vitest';
import { CellId, createCell, type CellChange, type JSONValue } from '../../protocol/index.ts';
import { MemoryNotebook, out } from '../../../tests/llm/memory-notebook.ts';
import { createNotebookToolRegistry } from './notebook-tools.ts';
import type { ToolContext } from './types.ts';

function setup(notebook = new MemoryNotebook()) {
  const changes: { id: string; change: CellChange }[] = [];
  const ctx: ToolContext = {
    notebook,
    turn: 't1',
    model: 'fake-model',
    signal: new AbortController().signal,
    cellTimeoutMs: 50,
    outputChars: 4000,
    vision: false,
    cellChanged: (id, change) => changes.push({ id, change }),
    seen: new Map(notebook.doc().cells.map((cell) => [cell.id, cell.source])),
  };
  const registry = createNotebookToolRegistry();
  const call = (name: string, args: JSONValue | string) =>
    registry.execute({ id: 'call_1', name, arguments: typeof args === 'string' ? args : JSON.stringify(args) }, ctx);
  return { notebook, ctx, changes, registry, call };
}

describe('tool definitions', () => {
  it('are OpenAI strict-compatible: closed objects, every property required', () => {
    const { registry } = setup();
    const definitions = registry.definitions();
    expect(definitions.map((d) => d.function.name)).toEqual([
      'read_notebook', 'add_cell', 'edit_cell', 'delete_cell', 'run_cell', 'list_files', 'inspect_variables',
    ]);
    for (const { function: fn } of definitions) {
      const parameters = fn.parameters ?? {};
      expect(parameters['type']).toBe('object');
      expect(parameters['additionalProperties']).toBe(false);
      expect(parameters).not.toHaveProperty('$schema');
      const properties = Object.keys((parameters['properties'] ?? {}) as object);
      expect(parameters['required']).toEqual(properties);
      expect(fn.strict).toBe(true);
    }
    const addCell = definitions.find((d) => d.function.name === 'add_cell')!.function.parameters!;
    expect(addCell['properties']).toMatchObject({ after_cell_id: { type: ['string', 'null'] } });
  });
});

describe('argument errors go back to the model as data', () => {
  it('reports arguments that are not JSON, with the schema to follow', async () => {
    const { call, notebook } = setup();
    const result = await call('add_cell', '{"source": "print(1)", "cell_type": "code", after_cell_id: null');
    expect(result.ok).toBe(false);
    const body = JSON.parse(result.content) as { error: string; message: string; fix: string };
    expect(body.error).toBe('invalid_json');
    expect(body.message).toMatch(/not valid JSON/);
    expect(body.fix).toContain('"after_cell_id"');
    expect(notebook.agentSteps).toHaveLength(0);
  });

  it('reports a schema mismatch by field, and unknown tools', async () => {
    const { call } = setup();
    const result = await call('add_cell', { source: 'x = 1', cell_type: 'python' });
    expect(result.ok).toBe(false);
    expect(JSON.parse(result.content)).toMatchObject({ error: 'invalid_arguments' });
    expect(result.content).toContain('cell_type');
    expect(result.content).toContain('after_cell_id');
    const unknown = await call('shell', {});
    expect(JSON.parse(unknown.content)).toMatchObject({ error: 'unknown_tool' });
    expect(unknown.content).toContain('run_cell');
  });

  it('reports unknown cell ids with where to find ids', async () => {
    const { call } = setup();
    const result = await call('edit_cell', { id: 'nope', source: 'x' });
    expect(JSON.parse(result.content)).toMatchObject({ error: 'unknown_cell', fix: expect.stringContaining('read_notebook') });
  });
});

describe('cell tools', () => {
  it('adds cells marked as the agent’s, each in one step', async () => {
    const { call, notebook, changes } = setup();
    const first = await call('add_cell', { source: 'x = 1', cell_type: 'code', after_cell_id: null });
    expect(first.ok).toBe(true);
    const id = /cell (\w+)/.exec(first.content)![1]!;
    await call('add_cell', { source: '# Intro', cell_type: 'markdown', after_cell_id: 'first' });
    expect(notebook.doc().cells.map((c) => c.source)).toEqual(['', '# Intro', 'x = 1']);
    expect(notebook.cell(id).metadata).toEqual({ cellmate: { author: 'agent', turn: 't1', model: 'fake-model' } });
    expect(notebook.agentSteps).toHaveLength(2);
    expect(changes[0]).toEqual({ id, change: 'added' });
  });

  it('edits a person’s cell keeping its author, and opens a review of the change', async () => {
    const mine = createCell('code', 'print(1)', CellId.from('mine'));
    const { call, notebook, changes } = setup(new MemoryNotebook({ cells: [mine] }));
    const result = await call('edit_cell', { id: 'mine', source: 'print(2)' });
    expect(result.summary).toBe('edited cell mine');
    const review = { previous_source: 'print(1)', turn: 't1', model: 'fake-model' };
    expect(notebook.cell('mine')).toMatchObject({ source: 'print(2)', metadata: { cellmate: { review } } });
    expect(notebook.cell('mine').metadata['cellmate']).not.toHaveProperty('author');
    expect(notebook.agentSteps).toHaveLength(1);
    expect(notebook.agentSteps[0]!.map((e) => e.type)).toEqual(['set_source', 'set_cell_metadata']);
    expect(changes).toEqual([{ id: 'mine', change: 'edited' }]);
    await call('delete_cell', { id: 'mine' });
    expect(notebook.doc().cells).toHaveLength(0);
  });

  it('keeps what a person typed into a cell after the model saw it, and tells the model the result', async () => {
    const mine = createCell('code', 'x = load()\nprint(x)', CellId.from('mine'));
    const { call, notebook } = setup(new MemoryNotebook({ cells: [mine] }));
    // The person adds a line while the model works from the text it saw at the start of the turn.
    notebook.applyEdits([{ type: 'set_source', id: mine.id, source: 'x = load()\nprint(x)\nx.describe()' }]);
    const result = await call('edit_cell', { id: 'mine', source: 'x = load("sales.csv")\nprint(x)' });
    expect(notebook.cell('mine').source).toBe('x = load("sales.csv")\nprint(x)\nx.describe()');
    expect(result.content).toContain('their change is kept');
    // A second edit starts from what the model was told: the person's line stays.
    await call('edit_cell', { id: 'mine', source: 'x = load("sales.csv")\nprint(x.head())\nx.describe()' });
    expect(notebook.cell('mine').source).toBe('x = load("sales.csv")\nprint(x.head())\nx.describe()');
  });

  it('reads the notebook with ids and outputs', async () => {
    const cell = { ...createCell('code', 'print(total)', CellId.from('c1')), execution_count: 1, outputs: [out.error('NameError', "name 'total' is not defined", ['\u001b[0;31mNameError\u001b[0m: boom'])] };
    const { call } = setup(new MemoryNotebook({ cells: [cell] }));
    const result = await call('read_notebook', { cell_ids: null });
    expect(result.content).toContain('### cell c1 · code · error [1]');
    expect(result.content).toContain("[error] NameError: name 'total' is not defined\nNameError: boom");
  });
});

describe('run_cell', () => {
  const cells = [createCell('code', 'print(6)', CellId.from('ok')), createCell('code', 'while True: pass', CellId.from('loop')), createCell('markdown', '# x', CellId.from('md'))];
  const runs = { 'print(6)': { outputs: [out.stdout('6\n')] }, 'while True: pass': { outputs: [out.stdout('started\n')], hangs: true } };

  it('answers with status, count and outputs', async () => {
    const { call, notebook, changes } = setup(new MemoryNotebook({ cells, runs }));
    const result = await call('run_cell', { id: 'ok' });
    expect(result.content).toBe('Cell ok [1] finished with status ok.\nOutputs:\n6\n');
    expect(result.summary).toBe('ran cell ok [1]: ok');
    expect(changes).toEqual([{ id: 'ok', change: 'ran' }]);
    expect(notebook.agentSteps).toHaveLength(0);
    const md = await call('run_cell', { id: 'md' });
    expect(JSON.parse(md.content)).toMatchObject({ error: 'not_code' });
  });

  it('tells the model when the timeout interrupted the cell', async () => {
    const { call, notebook } = setup(new MemoryNotebook({ cells, runs }));
    const result = await call('run_cell', { id: 'loop' });
    expect(notebook.interrupts).toBe(1);
    expect(result.summary).toBe('cell loop timed out after 50 ms');
    expect(result.content).toContain('started\n');
    expect(result.content).toContain('KeyboardInterrupt');
    expect(result.content).toContain('the kernel was interrupted; the outputs above are partial');
  });
});

describe('list_files and inspect_variables', () => {
  it('lists files with sizes', async () => {
    const files = [{ path: 'sales.csv', size: 12_345, kind: 'file' as const }, { path: 'data', size: 0, kind: 'directory' as const }];
    const { call } = setup(new MemoryNotebook({ files }));
    expect((await call('list_files', {})).content).toBe('sales.csv  12.1 kB\ndata/');
  });

  it('formats the helper’s JSON and reports its failures', async () => {
    const stdout = JSON.stringify({
      variables: [
        { name: 'df', type: 'pandas.DataFrame', shape: [1000, 2], columns: [{ name: 'region', dtype: 'object' }, { name: 'sales', dtype: 'int64' }] },
        { name: 'n', type: 'int', value: '3' },
      ],
      omitted: 0,
    });
    const ok = setup(new MemoryNotebook({ silent: () => ({ stdout }) }));
    expect((await ok.call('inspect_variables', { names: null })).content).toBe(
      'df: pandas.DataFrame shape (1000, 2); columns: region object, sales int64\nn: int = 3',
    );
    const busy = setup(new MemoryNotebook({ silent: () => ({ stdout: '', error: 'kernel busy' }) }));
    expect(JSON.parse((await busy.call('inspect_variables', { names: null })).content)).toMatchObject({ error: 'kernel_error' });
  });
});
