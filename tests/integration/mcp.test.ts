/**
 * The notebook as an MCP server, driven by the official SDK's own client over Streamable HTTP against a real
 * Cellmate and kernel: the token, reading and running (an image as image content), two clients at once on one
 * notebook (a stale version refused with the current text), a change live in an open tab marked with the
 * client's name, the undo of one MCP session's changes as one step, and interrupt, restart and delete.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellDoc } from '../../server/protocol/index.ts';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { enc, openNotebookSocket } from '../helpers/notebook-socket.ts';

let cm: TestCellmate;
const clients: Client[] = [];

beforeAll(async () => {
  cm = await startTestCellmate();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await cm?.cleanup();
});

async function connect(name: string, token = cm.token): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${cm.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function textOf(result: CallToolResult): string {
  return result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

/** The version read_notebook gives a cell. */
function versionIn(read: string, cellId: string): string {
  const match = new RegExp(`### cell ${cellId} · version ([0-9a-f]+)`).exec(read);
  if (!match) throw new Error(`cell ${cellId} not in:\n${read}`);
  return match[1]!;
}

function addedId(result: CallToolResult): string {
  const match = /added cell (\S+) \(version ([0-9a-f]+)\)/.exec(textOf(result));
  if (!match) throw new Error(`no cell added: ${textOf(result)}`);
  return match[1]!;
}

/** The notebook's cells as the API gives them (the .ipynb's line lists joined). */
async function notebookCells(path: string): Promise<CellDoc[]> {
  const res = await cm.api(`/api/notebooks/${enc(path)}`);
  const cells: (Omit<CellDoc, 'source'> & { source: string | string[] })[] = (await res.json()).cells;
  return cells.map((cell) => ({ ...cell, source: Array.isArray(cell.source) ? cell.source.join('') : cell.source }) as CellDoc);
}

/** A 2×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4nGP4z8DwHwQZYAwAUOIL9arCYJsAAAAASUVORK5CYII=';

describe('MCP at /mcp', () => {
  it('refuses a client without the token, or with a wrong one, and a page of another origin', async () => {
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const post = (headers: Record<string, string>) =>
      fetch(`${cm.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(initialize) });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${cm.token}`, origin: 'http://evil.example' })).status).toBe(403);
    await expect(connect('no-token', 'wrong')).rejects.toThrow();
    const ok = await post({ authorization: `Bearer ${cm.token}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('mcp-session-id')).toBeTruthy();
  });

  it('creates, lists, adds, runs and reads: outputs shaped, an image as image content', async () => {
    const agent = await connect('reader-agent');
    const tools = (await agent.listTools()).tools.map((tool) => tool.name);
    expect(tools).toEqual(expect.arrayContaining(['list_notebooks', 'read_notebook', 'add_cell', 'edit_cell', 'delete_cell', 'edit_cells', 'run_cells', 'inspect_variables', 'interrupt_kernel', 'restart_kernel', 'create_notebook', 'list_files']));
    // Every tool that works on a notebook names it.
    for (const tool of (await agent.listTools()).tools.filter((t) => t.name !== 'list_notebooks')) expect(tool.inputSchema.required).toContain('notebook_path');

    expect(textOf(await call(agent, 'create_notebook', { notebook_path: 'mcp/plot.ipynb' }))).toContain('mcp/plot.ipynb');
    expect(textOf(await call(agent, 'list_notebooks', {}))).toContain('mcp/plot.ipynb');
    const code = addedId(await call(agent, 'add_cell', { notebook_path: 'mcp/plot.ipynb', source: 'x = 41\nprint("x is", x + 1)\nx' }));
    const image = addedId(
      await call(agent, 'add_cell', { notebook_path: 'mcp/plot.ipynb', source: `import base64\nfrom IPython.display import Image, display\ndisplay(Image(data=base64.b64decode('${PNG}')))` }),
    );
    const ran = await call(agent, 'run_cells', { notebook_path: 'mcp/plot.ipynb', cell_ids: [code, image] });
    expect(ran.isError).toBeFalsy();
    expect(textOf(ran)).toContain('x is 42');
    expect(textOf(ran)).toContain('[result]\n41');
    expect(ran.content).toContainEqual({ type: 'image', mimeType: 'image/png', data: PNG });

    const read = await call(agent, 'read_notebook', { notebook_path: 'mcp/plot.ipynb' });
    const text = textOf(read);
    expect(text).toMatch(new RegExp(`### cell ${code} · version [0-9a-f]{12} · code · ran \\[\\d+\\] · written by reader-agent \\(an agent over MCP\\)`));
    expect(text).toContain('x is 42');
    expect(read.content).toContainEqual({ type: 'image', mimeType: 'image/png', data: PNG });
    // Within the budget asked for: a long output keeps its start and end.
    const long = addedId(await call(agent, 'add_cell', { notebook_path: 'mcp/plot.ipynb', source: 'for i in range(3000): print("line", i)' }));
    await call(agent, 'run_cells', { notebook_path: 'mcp/plot.ipynb', cell_ids: [long] });
    const short = textOf(await call(agent, 'read_notebook', { notebook_path: 'mcp/plot.ipynb', cell_ids: [long], max_chars: 2000 }));
    expect(short.length).toBeLessThan(2600);
    expect(short).toContain('line 0');
    expect(short).toContain('line 2999');
    expect(short).toMatch(/lines .* cut/);

    expect(textOf(await call(agent, 'inspect_variables', { notebook_path: 'mcp/plot.ipynb', names: ['x'] }))).toContain('x: int = 41');
    expect(textOf(await call(agent, 'list_files', { notebook_path: 'mcp/plot.ipynb' }))).toContain('plot.ipynb');
    const missing = await call(agent, 'read_notebook', { notebook_path: 'mcp/none.ipynb' });
    expect(missing.isError).toBe(true);
  });

  it('two clients on one notebook: an edit against a cell changed since it was read is refused with the current text', async () => {
    const [a, b] = [await connect('agent-a'), await connect('agent-b')];
    await call(a, 'create_notebook', { notebook_path: 'mcp/shared.ipynb' });
    const cell = addedId(await call(a, 'add_cell', { notebook_path: 'mcp/shared.ipynb', source: 'value = 1' }));
    const [readA, readB] = await Promise.all([
      call(a, 'read_notebook', { notebook_path: 'mcp/shared.ipynb' }),
      call(b, 'read_notebook', { notebook_path: 'mcp/shared.ipynb' }),
    ]);
    const seen = versionIn(textOf(readA), cell);
    expect(versionIn(textOf(readB), cell)).toBe(seen);

    const byA = await call(a, 'edit_cell', { notebook_path: 'mcp/shared.ipynb', cell_id: cell, version: seen, source: 'value = 2  # by a' });
    expect(byA.isError).toBeFalsy();
    const stale = await call(b, 'edit_cell', { notebook_path: 'mcp/shared.ipynb', cell_id: cell, version: seen, source: 'value = 3  # by b' });
    expect(stale.isError).toBe(true);
    expect(textOf(stale)).toContain('value = 2  # by a');
    expect(textOf(stale)).toContain('Nothing in this call was applied');
    // A batch with one stale cell changes nothing, not even its adds.
    const before = await notebookCells('mcp/shared.ipynb');
    const batch = await call(b, 'edit_cells', {
      notebook_path: 'mcp/shared.ipynb',
      edits: [
        { action: 'add', source: 'print("new")' },
        { action: 'delete', cell_id: cell, version: seen },
      ],
    });
    expect(batch.isError).toBe(true);
    expect(await notebookCells('mcp/shared.ipynb')).toEqual(before);
    const current = /now version ([0-9a-f]+)/.exec(textOf(byA))![1]!;
    expect(textOf(stale)).toContain(`it is now version ${current}`);
    const retried = await call(b, 'edit_cell', { notebook_path: 'mcp/shared.ipynb', cell_id: cell, version: current, source: 'value = 3  # by b, after a' });
    expect(retried.isError).toBeFalsy();
    expect((await notebookCells('mcp/shared.ipynb')).find((c) => c.id === cell)?.source).toBe('value = 3  # by b, after a');
  });

  it("shows a client's change live in an open tab, marked with its name, and undoes its session's changes as one step", async () => {
    const path = 'mcp/live.ipynb';
    const res = await cm.api('/api/notebooks', { method: 'POST', body: JSON.stringify({ path }) });
    expect(res.status).toBe(201);
    const personCell = (await notebookCells(path))[0]!.id;
    await cm.api(`/api/notebooks/${enc(path)}/cells/${personCell}`, { method: 'PATCH', body: JSON.stringify({ source: 'rows = 10' }) });
    const tab = await openNotebookSocket(cm, path);
    try {
      const agent = await connect('Live Agent');
      const other = await connect('other-agent');
      const added = addedId(await call(agent, 'add_cell', { notebook_path: path, source: 'print(rows)' }));
      const insert = await tab.waitFor('the insert', (m) => m.type === 'edit' && m.edit.type === 'insert_cell' && m.edit.cell.id === added);
      expect(insert).toMatchObject({ source: 'agent', edit: { cell: { metadata: { cellmate: { author: 'agent', client: 'Live Agent', model: 'Live Agent' } } } } });

      const read = textOf(await call(agent, 'read_notebook', { notebook_path: path }));
      await call(agent, 'edit_cells', {
        notebook_path: path,
        edits: [
          { action: 'edit', cell_id: personCell, version: versionIn(read, personCell), source: 'rows = 20' },
          { action: 'add', source: '# Notes', cell_type: 'markdown' },
        ],
      });
      // A person's cell edited by the client waits for review, named after the client.
      await tab.waitFor('the review mark', (m) => m.type === 'edit' && m.edit.type === 'set_cell_metadata' && m.edit.id === personCell);
      const reviewed = (await notebookCells(path)).find((c) => c.id === personCell)!;
      expect(reviewed.metadata['cellmate']).toMatchObject({ review: { previous_source: 'rows = 10', model: 'Live Agent' } });
      // Another client's change in the same notebook is a turn of its own.
      const others = addedId(await call(other, 'add_cell', { notebook_path: path, source: '# other' }));

      // The tabs hear of each client's turn by name, with what it changed so far (the assistant's panel shows it).
      const external = await tab.waitFor('both turns in the agent state', (m) => m.type === 'agent_state' && m.agent.external?.length === 2);
      expect(external.type === 'agent_state' && external.agent.external?.map(({ client, added, edited, deleted }) => ({ client, added, edited, deleted }))).toEqual([
        { client: 'Live Agent', added: 2, edited: 1, deleted: 0 },
        { client: 'other-agent', added: 1, edited: 0, deleted: 0 },
      ]);
      const state = await (await cm.api(`/api/notebooks/${enc(path)}/agent`)).json();
      expect(state.undoable).toHaveLength(2);
      const turn = (insert.type === 'edit' && insert.edit.type === 'insert_cell' && (insert.edit.cell.metadata['cellmate'] as { turn: string }).turn) || '';
      expect(state.undoable).toContain(turn);
      const undo = await cm.api(`/api/notebooks/${enc(path)}/agent/undo`, { method: 'POST', body: JSON.stringify({ turn }) });
      expect(undo.status).toBe(200);
      const after = await notebookCells(path);
      expect(after.map((c) => c.source)).toEqual(['rows = 10', '# other']);
      expect(after[0]!.metadata['cellmate']).toBeUndefined();
      expect(after[1]!.id).toBe(others);
      // The tab saw the undo.
      await tab.waitFor('the undo', (m) => m.type === 'edit' && m.edit.type === 'delete_cell' && m.edit.id === added);
    } finally {
      await tab.close();
    }
  });

  it('interrupts a running cell, restarts the kernel (its variables gone) and deletes a cell, each named by its notebook', async () => {
    const path = 'mcp/control.ipynb';
    const agent = await connect('Control Agent');
    await call(agent, 'create_notebook', { notebook_path: path });
    const kept = addedId(await call(agent, 'add_cell', { notebook_path: path, source: 'kept = 7' }));
    const slow = addedId(await call(agent, 'add_cell', { notebook_path: path, source: 'import time\nprint("sleeping", flush=True)\ntime.sleep(600)' }));
    await call(agent, 'run_cells', { notebook_path: path, cell_ids: [kept] });
    const tab = await openNotebookSocket(cm, path);
    try {
      const running = call(agent, 'run_cells', { notebook_path: path, cell_ids: [slow] });
      await tab.waitForRuntime(slow, 'the slow cell running', (runtime) => runtime.status === 'running');
      expect(textOf(await call(agent, 'interrupt_kernel', { notebook_path: path }))).toMatch(/^Interrupted\./);
      // The run answers long before its 600 s: interrupted (or, on a machine too busy to interrupt within 3 s, the
      // kernel restarted, as the run's note then says).
      expect(textOf(await running)).toMatch(/KeyboardInterrupt|the kernel was restarted/);
      await call(agent, 'run_cells', { notebook_path: path, cell_ids: [kept] });
      expect(textOf(await call(agent, 'inspect_variables', { notebook_path: path, names: ['kept'] }))).toContain('kept: int = 7');

      const restarted = await call(agent, 'restart_kernel', { notebook_path: path });
      expect(restarted.isError ?? false).toBe(false);
      expect(textOf(restarted)).toMatch(/^Restarted\./);
      expect(textOf(await call(agent, 'inspect_variables', { notebook_path: path, names: ['kept'] }))).not.toContain('kept: int = 7');

      const read = textOf(await call(agent, 'read_notebook', { notebook_path: path }));
      const deleted = await call(agent, 'delete_cell', { notebook_path: path, cell_id: slow, version: versionIn(read, slow) });
      expect(deleted.isError ?? false).toBe(false);
      await tab.waitFor('the delete', (m) => m.type === 'edit' && m.edit.type === 'delete_cell' && m.edit.id === slow);
      const left = (await notebookCells(path)).map((c) => c.id);
      expect(left).toContain(kept);
      expect(left).not.toContain(slow);
      // Another notebook's name is not this one: nothing there changes.
      const elsewhere = await call(agent, 'delete_cell', { notebook_path: 'mcp/shared.ipynb', cell_id: kept, version: versionIn(read, kept) });
      expect(elsewhere.isError).toBe(true);
      expect((await notebookCells(path)).map((c) => c.id)).toEqual(left);
    } finally {
      await tab.close();
    }
  });
});
