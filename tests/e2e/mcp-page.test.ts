/**
 * An agent outside Cellmate, as a person sees it in the page: an MCP client (the SDK's own) adds a cell and
 * changes a person's cell; the page shows both at once, the new cell's badge naming the client and the person's
 * cell waiting for review, the assistant's panel naming the client and counting its changes as they come, and the
 * panel's Undo (also on the badge) takes everything that MCP session changed back in one step.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { useCellmateAndBrowser, WAIT } from '../helpers/browser.ts';
import { enc, notebookWithCells } from '../helpers/notebook-socket.ts';

const started = useCellmateAndBrowser();

function textOf(result: CallToolResult): string {
  return result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

describe('an MCP client in the page', () => {
  it("shows the client's cells live with its name, its edit of a person's cell for review, its turn in the panel, and undoes them in one step", async () => {
    const { cellmate } = started;
    const [mine] = await notebookWithCells(cellmate, 'agent-outside.ipynb', ['rows = 10']);
    const page = await started.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${cellmate.url}/notebooks/${enc('agent-outside.ipynb')}?token=${cellmate.token}`);
    await expect.poll(() => page.locator('[data-cell-id]').count(), { timeout: 30_000 }).toBe(2);

    const client = new Client({ name: 'Page Agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${cellmate.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${cellmate.token}` } } }));
    try {
      const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
      const added = /added cell (\S+)/.exec(textOf(await call('add_cell', { notebook_path: 'agent-outside.ipynb', source: 'print(rows * 2)' })))![1]!;
      // The assistant's panel shows the client's turn as it goes: its name, then what it changed so far.
      const panel = page.locator('[data-panel="agent"]');
      if ((await panel.getAttribute('data-open')) === 'false') await page.getByRole('button', { name: 'Open assistant' }).click();
      const entry = panel.locator('.agent-external');
      await expect.poll(() => entry.innerText(), WAIT).toContain('Page Agent (via MCP) changed this notebook: added 1 cell');
      const read = textOf(await call('read_notebook', { notebook_path: 'agent-outside.ipynb', cell_ids: [mine] }));
      const version = /version ([0-9a-f]+)/.exec(read)![1]!;
      expect((await call('edit_cell', { notebook_path: 'agent-outside.ipynb', cell_id: mine, version, source: 'rows = 20' })).isError).toBeFalsy();

      const badge = page.locator(`[data-cell-id="${added}"] .cell-agent-badge`);
      await expect.poll(() => badge.getAttribute('title'), WAIT).toBe('Written by Page Agent, an agent outside Cellmate (over MCP)');
      await expect.poll(() => page.locator(`[data-cell-id="${mine}"] .cell-review-text`).innerText(), WAIT).toContain('Page Agent');

      await expect.poll(() => entry.innerText(), WAIT).toContain('Page Agent (via MCP) changed this notebook: added 1 cell, edited 1');
      expect(await entry.count()).toBe(1);
      await expect.poll(() => page.locator(`[data-cell-id="${added}"]`).getByRole('button', { name: "Undo Page Agent's changes" }).count(), WAIT).toBe(1);

      // Undo from the panel: everything the session changed goes back in one step, and the entry goes with it.
      await entry.getByRole('button', { name: "Undo Page Agent's changes" }).click();
      await expect.poll(() => entry.count(), WAIT).toBe(0);
      await expect.poll(() => page.locator(`[data-cell-id="${added}"]`).count(), WAIT).toBe(0);
      await expect.poll(() => page.locator(`[data-cell-id="${mine}"] .cell-review`).count(), WAIT).toBe(0);
      await expect.poll(() => page.locator(`[data-cell-id="${mine}"] .cm-content`).innerText(), WAIT).toBe('rows = 10');
      const turns = await (await cellmate.api(`/api/notebooks/${enc('agent-outside.ipynb')}/agent`)).json();
      expect(turns.undoable).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await client.close();
      await page.close();
    }
  });
});
