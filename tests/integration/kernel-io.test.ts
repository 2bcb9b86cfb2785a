/**
 * What a cell exchanges with the page besides its own outputs: a display created by an earlier cell and updated
 * by a later one, and `input()` answered from a tab (and refused at once where nobody could answer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCellmate, type TestCellmate } from '../helpers/cellmate.ts';
import { executeCells, notebookWithCells, openNotebookSocket } from '../helpers/notebook-socket.ts';

let cm: TestCellmate;

beforeAll(async () => {
  cm = await startTestCellmate({ kernels: { poolSize: 0 } });
});

afterAll(async () => {
  await cm?.cleanup();
});

describe('update_display_data', () => {
  it('changes the saved outputs of the earlier cell that shows the display', async () => {
    const [show, update, again] = await notebookWithCells(cm, 'display.ipynb', [
      'h = display("0%", display_id=True)\nprint("shown")',
      'for p in (10, 50, 100):\n    h.update(f"{p}%")',
      'h2 = display("shown again", display_id=h.display_id)',
    ]);
    if (!show || !update || !again) throw new Error('cells');
    const tab = await openNotebookSocket(cm, 'display.ipynb');
    try {
      await executeCells(cm, 'display.ipynb', [show, update]);
      const edit = await tab.waitFor('the first cell to show 100%', (m) => m.type === 'edit' && m.edit.type === 'set_outputs' && m.edit.id === show && JSON.stringify(m.edit.outputs).includes("'100%'"));
      expect(edit).toMatchObject({ source: 'kernel' });
      const session = await cm.sessions.open('display.ipynb');
      await session.flush();
      const first = session.doc().cells.find((c) => c.id === show);
      expect(first?.cell_type === 'code' && first.outputs).toEqual([
        expect.objectContaining({ output_type: 'display_data', data: { 'text/plain': "'100%'" } }),
        expect.objectContaining({ output_type: 'stream', text: 'shown\n' }),
      ]);
      // Showing the display again (same id) adds it to the running cell and refreshes the earlier copy too.
      const [result] = await executeCells(cm, 'display.ipynb', [again]);
      expect(result?.outputs).toEqual([expect.objectContaining({ output_type: 'display_data', data: { 'text/plain': "'shown again'" } })]);
      await tab.waitFor('the first cell to follow', (m) => m.type === 'edit' && m.edit.type === 'set_outputs' && m.edit.id === show && JSON.stringify(m.edit.outputs).includes('shown again'));
    } finally {
      await tab.close();
    }
  });
});

describe('input()', () => {
  it('asks the tabs, takes the first answer, and hides a password prompt', async () => {
    const [ask, secret] = await notebookWithCells(cm, 'input.ipynb', [
      'name = input("Your name? ")\nprint("hello", name)',
      'import getpass\npw = getpass.getpass("Password: ")\nprint(len(pw))',
    ]);
    if (!ask || !secret) throw new Error('cells');
    const tab = await openNotebookSocket(cm, 'input.ipynb');
    const other = await openNotebookSocket(cm, 'input.ipynb');
    try {
      tab.send({ type: 'execute', cell_ids: [ask, secret] });
      const asked = await other.waitForRuntime(ask, 'the prompt', (r) => r.input !== undefined);
      expect(asked).toMatchObject({ status: 'running', input: { prompt: 'Your name? ', password: false } });
      other.send({ type: 'input_reply', cell_id: ask, value: 'Ada' });
      tab.send({ type: 'input_reply', cell_id: ask, value: 'too late' });
      const done = await tab.waitForRuntime(ask, 'the cell to end', (r) => r.status === 'ok');
      expect(done.input).toBeUndefined();
      const password = await tab.waitForRuntime(secret, 'the password prompt', (r) => r.input !== undefined);
      expect(password.input).toEqual({ prompt: 'Password: ', password: true });
      tab.send({ type: 'input_reply', cell_id: secret, value: 's3cret' });
      await tab.waitForRuntime(secret, 'the second cell to end', (r) => r.status === 'ok');
      const cells = (await cm.sessions.open('input.ipynb')).doc().cells;
      const outputsOf = (id: string) => JSON.stringify(cells.find((c) => c.id === id));
      expect(outputsOf(ask)).toContain('hello Ada');
      expect(outputsOf(secret)).toContain('"text":"6\\n"');
      expect(JSON.stringify(tab.messages)).not.toContain('s3cret"}}');
    } finally {
      await tab.close();
      await other.close();
    }
  });

  it('gets EOF when the last tab closes while it waits', async () => {
    const [ask] = await notebookWithCells(cm, 'input-eof.ipynb', ['try:\n    input("? ")\nexcept EOFError:\n    print("no answer")']);
    if (!ask) throw new Error('cells');
    const tab = await openNotebookSocket(cm, 'input-eof.ipynb');
    tab.send({ type: 'execute', cell_ids: [ask] });
    await tab.waitForRuntime(ask, 'the prompt', (r) => r.input !== undefined);
    await tab.close();
    const session = await cm.sessions.open('input-eof.ipynb');
    const deadline = Date.now() + 20_000;
    while (session.runtimeOf(ask).status === 'running' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(session.runtimeOf(ask).status).toBe('ok');
    const cell = session.doc().cells.find((c) => c.id === ask);
    expect(JSON.stringify(cell)).toContain('no answer');
  });

  it('fails at once in a run nobody can answer (REST, agent)', async () => {
    const [ask] = await notebookWithCells(cm, 'input-rest.ipynb', ['input("? ")']);
    if (!ask) throw new Error('cells');
    const [result] = await executeCells(cm, 'input-rest.ipynb', [ask]);
    expect(result).toMatchObject({ status: 'error', outputs: [expect.objectContaining({ ename: 'StdinNotImplementedError' })] });
  });
});
