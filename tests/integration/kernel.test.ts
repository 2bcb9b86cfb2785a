/**
 * The kernel layer against a real Jupyter Server and ipykernel: outputs of the usual libraries, errors,
 * interrupts, restarts, deaths, the execution queue, what the kernel can see of its environment, and Nagle off on
 * the sockets to the Jupyter Server.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CellId, type Output } from '../../server/protocol/index.ts';
import { ExecutionQueue } from '../../server/kernels/execute.ts';
import type { KernelHandle } from '../../server/kernels/types.ts';
import { settlesWithin } from '../helpers/hang-guard.ts';
import { describeNagle, socketsTo } from '../helpers/nagle.ts';
import { startTestJupyter, waitUntil, type TestJupyter } from '../helpers/jupyter.ts';

// Secrets the Node process holds; none may reach a kernel.
const FAKE_SECRETS = {
  OPENAI_API_KEY: 'sk-cellmate-test-openai',
  CELLMATE_TOKEN: 'cellmate-test-app-token',
  GITHUB_TOKEN: 'ghp_cellmatetestgithub',
  AWS_SECRET_ACCESS_KEY: 'cellmate-test-aws-secret',
};

let t: TestJupyter;
let kernel: KernelHandle;

beforeAll(async () => {
  const saved = Object.fromEntries(Object.keys(FAKE_SECRETS).map((k) => [k, process.env[k]]));
  Object.assign(process.env, FAKE_SECRETS);
  try {
    t = await startTestJupyter();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  await mkdir(join(t.workspace, 'sub'));
  kernel = await t.provider.startKernel({ notebookPath: 'sub/x.ipynb' });
});

afterAll(async () => {
  await t?.cleanup();
});

function streamText(outputs: Output[], name: 'stdout' | 'stderr' = 'stdout'): string {
  return outputs.map((o) => (o.output_type === 'stream' && o.name === name ? o.text : '')).join('');
}

describe('a real kernel', () => {
  it('starts idle, with the python3 kernelspec', async () => {
    expect(kernel.info).toEqual({ state: 'idle', name: 'python3' });
    const specs = await t.provider.listKernelSpecs();
    expect(specs.default).toBe('python3');
    expect(specs.specs.map((s) => s.name)).toContain('python3');
  });

  it("opens its sockets to the Jupyter Server with Nagle's algorithm off (the kernel's WebSocket and REST calls)", async () => {
    expect((await kernel.execute('1+1', {})).status).toBe('ok');
    const sockets = socketsTo(t.jupyter.port);
    // At least the kernel's WebSocket (REST calls' kept-alive sockets may have closed already).
    expect(sockets.length).toBeGreaterThanOrEqual(1);
    expect(describeNagle(sockets)).toEqual(sockets.map((socket) => `${socket.localPort} → ${socket.remotePort}: Nagle off`));
  });

  it('returns 1+1 as an execute_result with its execution count', async () => {
    const counts: (number | null)[] = [];
    const result = await kernel.execute('1+1', { onExecutionCount: (c) => counts.push(c) });
    expect(result.status).toBe('ok');
    expect(result.execution_count).toEqual(expect.any(Number));
    expect(counts).toEqual([result.execution_count]);
    expect(result.outputs).toEqual([
      { output_type: 'execute_result', execution_count: result.execution_count, data: { 'text/plain': '2' }, metadata: {} },
    ]);
  });

  it('streams print() to stdout, merged, with \\r progress lines overwritten', async () => {
    const result = await kernel.execute(
      'import sys\nprint("hello")\nfor i in range(3): print(f"{i}/3", end="\\r", flush=True)\nprint("done")\nprint("oops", file=sys.stderr)',
    );
    expect(result.status).toBe('ok');
    expect(streamText(result.outputs)).toBe('hello\ndone\n');
    expect(streamText(result.outputs, 'stderr')).toBe('oops\n');
  });

  it('reports a Python error as an error output and status error', async () => {
    const result = await kernel.execute('1/0');
    expect(result.status).toBe('error');
    const [error] = result.outputs;
    expect(error).toMatchObject({ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero' });
    expect(error?.output_type === 'error' && error.traceback.join('\n')).toContain('ZeroDivisionError');
  });

  it('shows a matplotlib plot as image/png', async () => {
    const result = await kernel.execute('import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()');
    expect(result.status).toBe('ok');
    const image = result.outputs.find((o) => o.output_type === 'display_data' && 'image/png' in o.data);
    expect(image?.output_type === 'display_data' && image.data['image/png']).toMatch(/^iVBORw0KGgo/);
  });

  it('shows a pandas DataFrame as text/html', async () => {
    const result = await kernel.execute('import pandas as pd\npd.DataFrame({"a": [1, 2], "b": ["x", "y"]})');
    expect(result.status).toBe('ok');
    const [output] = result.outputs;
    expect(output?.output_type).toBe('execute_result');
    expect(output?.output_type === 'execute_result' && output.data['text/html']).toContain('<table');
  });

  it('shows an altair chart as a vega-lite JSON bundle, not HTML loading a CDN', async () => {
    const result = await kernel.execute(
      'import altair as alt, pandas as pd\nalt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_bar().encode(x="x", y="y")',
    );
    expect(result.status).toBe('ok');
    expect(streamText(result.outputs, 'stderr')).toBe('');
    const output = result.outputs.find((o) => o.output_type === 'execute_result');
    if (output?.output_type !== 'execute_result') throw new Error(`unexpected ${JSON.stringify(result.outputs)}`);
    expect(Object.keys(output.data)).toContain('application/vnd.vegalite.v4+json');
    expect(output.data['text/html']).toBeUndefined();
    expect(output.data['application/vnd.vegalite.v4+json']).toMatchObject({ mark: 'bar' });
  });

  it('replaces a display by its display_id', async () => {
    const result = await kernel.execute('h = display("v1", display_id=True)\nh.update("v2")');
    expect(result.outputs).toEqual([
      expect.objectContaining({ output_type: 'display_data', data: { 'text/plain': "'v2'" } }),
    ]);
  });

  it('caps a flood of output with a visible note', async () => {
    const result = await kernel.execute('for i in range(200_000): print(f"line {i:06d}")');
    expect(result.status).toBe('ok');
    const text = streamText(result.outputs);
    expect(text.length).toBeLessThan(1_001_000);
    expect(text).toMatch(/\[Output truncated: .*\]\n$/);
  });

  it('interrupts a busy loop', async () => {
    // Interrupt once the loop runs: `busy` alone comes before the user's code starts.
    let output = '';
    const running = kernel.execute('print("looping", flush=True)\nwhile True: pass', {
      onOutputs: (outputs) => (output = streamText(outputs)),
    });
    await waitUntil('the loop to run', () => output.includes('looping'));
    await kernel.interrupt();
    // The loop never ends by itself: its ending at all, with a KeyboardInterrupt, is the interrupt's doing.
    const result = await settlesWithin('the interrupted loop to end', running);
    expect(result.status).toBe('error');
    expect(result.outputs.at(-1)).toMatchObject({ output_type: 'error', ename: 'KeyboardInterrupt' });
  });

  it('gives the kernel the notebook folder as cwd and no secrets in its environment', async () => {
    const result = await kernel.execute('import os, json\nprint(json.dumps({"cwd": os.getcwd(), "env": dict(os.environ)}))');
    const seen = JSON.parse(streamText(result.outputs)) as { cwd: string; env: Record<string, string> };
    expect(seen.cwd).toBe(join(t.workspace, 'sub'));
    const dump = JSON.stringify(seen.env);
    for (const [name, value] of Object.entries(FAKE_SECRETS)) {
      expect(seen.env[name]).toBeUndefined();
      expect(dump).not.toContain(value);
    }
    expect(dump).not.toContain(t.jupyter.token);
    expect(Object.keys(seen.env).filter((k) => /TOKEN|CELLMATE_|SECRET/.test(k))).toEqual([]);
    expect(seen.env.PYDEVD_DISABLE_FILE_VALIDATION).toBe('1');
  });

  it('evaluates silently: stdout back, no execution count used, errors as text', async () => {
    const before = await kernel.execute('1');
    expect(await kernel.evaluate?.('print("quiet", 40 + 2)', { timeoutMs: 10_000 })).toEqual({ stdout: 'quiet 42\n' });
    expect(await kernel.evaluate?.('undefined_name', { timeoutMs: 10_000 })).toEqual({
      stdout: '',
      error: "NameError: name 'undefined_name' is not defined",
    });
    const after = await kernel.execute('1');
    expect(after.execution_count).toBe((before.execution_count ?? 0) + 1);
  });

  it('times out a slow evaluation and interrupts it', async () => {
    const result = await kernel.evaluate?.('import time\nprint("start", flush=True)\ntime.sleep(60)', { timeoutMs: 3_000 });
    expect(result).toEqual({ stdout: 'start\n', error: 'Timed out after 3000 ms' });
    await waitUntil('the kernel to be idle again', () => kernel.info.state === 'idle');
    expect((await kernel.execute('2+2')).outputs[0]).toMatchObject({ data: { 'text/plain': '4' } });
  });
});

describe('the execution queue on a real kernel', () => {
  it('aborts the cells queued after an error, across requests', async () => {
    const queue = new ExecutionQueue(kernel);
    const [a, b, c, d] = ['qa', 'qb', 'qc', 'qd'].map(CellId.from);
    if (!a || !b || !c || !d) throw new Error('ids');
    const first = queue.run([
      { id: a, code: 'x = 1' },
      { id: b, code: 'raise ValueError("boom")' },
      { id: c, code: 'x = 2' },
    ]);
    const second = queue.run([{ id: d, code: 'x = 3' }]);
    const results = await first;
    expect([...results.values()].map((r) => r.status)).toEqual(['ok', 'error', 'aborted']);
    expect(results.get(c)?.message).toBe('Not run because cell qb raised an error');
    expect((await second).get(d)?.status).toBe('aborted');
    expect((await kernel.execute('x')).outputs[0]).toMatchObject({ data: { 'text/plain': '1' } });
  });
});

describe('restarts and deaths', () => {
  it('restarts: a running cell is aborted and the namespace is fresh', async () => {
    await kernel.execute('kept = 5');
    let output = '';
    const running = kernel.execute('import time\nprint("sleeping", flush=True)\ntime.sleep(60)', {
      onOutputs: (outputs) => (output = streamText(outputs)),
    });
    await waitUntil('the cell to run', () => output.includes('sleeping'));
    await kernel.restart();
    const result = await running;
    expect(result).toMatchObject({ status: 'aborted', message: 'The kernel was restarted' });
    await waitUntil('the kernel to be idle', () => kernel.info.state === 'idle');
    const after = await kernel.execute('kept');
    expect(after.status).toBe('error');
    expect(after.outputs[0]).toMatchObject({ ename: 'NameError' });
  });

  it('reports a kernel process that dies under a cell, with the reason, at once', async () => {
    const doomed = await t.provider.startKernel({ notebookPath: 'doomed.ipynb' });
    const states: string[] = [];
    doomed.onInfo((info) => states.push(info.state));
    const result = await doomed.execute('import os\nos._exit(1)');
    expect(result).toMatchObject({ status: 'error', message: 'The kernel exited with code 1' });
    expect(doomed.info).toEqual({ state: 'dead', name: 'python3', message: 'The kernel exited with code 1' });
    expect(states).toContain('dead');
    // A dead kernel takes no more requests; its notebook starts a new one (SessionKernel).
    expect(await doomed.execute('1')).toMatchObject({ status: 'aborted', message: 'The kernel exited with code 1' });
    await doomed.shutdown();
  });

  it('tells a SIGKILL from outside (the OOM killer does the same)', async () => {
    const victim = await t.provider.startKernel({ notebookPath: 'victim.ipynb' });
    const pid = Number((await victim.evaluate?.('import os; print(os.getpid())', { timeoutMs: 30_000 }))?.stdout);
    let output = '';
    const running = victim.execute('import time\nprint("sleeping", flush=True)\ntime.sleep(600)', {
      onOutputs: (outputs) => (output = streamText(outputs)),
    });
    await waitUntil('the cell to run', () => output.includes('sleeping'));
    process.kill(pid, 'SIGKILL');
    // The sleep would last ten minutes: the cell ending before that, with this message, is the kill noticed.
    const result = await settlesWithin('the killed cell to end', running);
    expect(result).toMatchObject({ status: 'error', message: 'The kernel was killed (SIGKILL); it may have run out of memory' });
    await victim.shutdown();
  });
});
