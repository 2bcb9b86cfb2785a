import { describe, expect, it } from 'vitest';
import { CellId, type KernelInfo, type Output } from '../protocol/index.ts';
import { ExecutionQueue, type QueueListener } from './execute.ts';
import type { ExecutionListener, ExecutionResult, KernelHandle } from './types.ts';

/** A kernel whose executions end when the test says so. */
class FakeKernel implements KernelHandle {
  readonly id = 'fake';
  readonly name = 'python3';
  readonly info: KernelInfo = { state: 'idle', name: 'python3' };
  readonly started: string[] = [];
  readonly #running: { code: string; listener: ExecutionListener; end: (r: ExecutionResult) => void }[] = [];

  onInfo(): () => void {
    return () => {};
  }
  execute(code: string, listener: ExecutionListener = {}): Promise<ExecutionResult> {
    this.started.push(code);
    return new Promise((end) => this.#running.push({ code, listener, end }));
  }
  /** Ends the oldest running execution. */
  finish(status: ExecutionResult['status'], outputs: Output[] = [], message?: string): void {
    const run = this.#running.shift();
    if (!run) throw new Error('nothing is running');
    run.listener.onExecutionCount?.(this.started.length);
    if (outputs.length) run.listener.onOutputs?.(outputs);
    run.end({ status, execution_count: this.started.length, outputs, ...(message ? { message } : {}) });
  }
  /** Waits until `n` executions have been sent (the queue hops through microtasks between cells). */
  async untilStarted(n: number): Promise<void> {
    for (let i = 0; i < 100 && this.started.length < n; i++) await Promise.resolve();
    expect(this.started.length).toBe(n);
  }
  async interrupt(): Promise<void> {}
  async restart(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

const ids = { a: CellId.from('a'), b: CellId.from('b'), c: CellId.from('c'), d: CellId.from('d') };
const error: Output = { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: [] };
const interrupt: Output = { output_type: 'error', ename: 'KeyboardInterrupt', evalue: '', traceback: [] };

function recorder(): { events: string[]; listener: QueueListener } {
  const events: string[] = [];
  return {
    events,
    listener: {
      onQueued: (id) => events.push(`queued ${id}`),
      onStart: (id) => events.push(`start ${id}`),
      onOutputs: (id, outputs) => events.push(`outputs ${id} ${outputs.length}`),
      onExecutionCount: (id, count) => events.push(`count ${id} ${count}`),
      onDone: (id, result) => events.push(`done ${id} ${result.status}`),
    },
  };
}

describe('ExecutionQueue', () => {
  it('runs cells one at a time, in order, across requests', async () => {
    const kernel = new FakeKernel();
    const queue = new ExecutionQueue(kernel);
    const { events, listener } = recorder();
    const first = queue.run([{ id: ids.a, code: 'a' }, { id: ids.b, code: 'b' }], listener);
    const second = queue.run([{ id: ids.c, code: 'c' }], listener);
    await kernel.untilStarted(1);
    expect(queue.running).toBe('a');
    expect(queue.queued).toEqual(['b', 'c']);
    kernel.finish('ok', [{ output_type: 'stream', name: 'stdout', text: 'hi' }]);
    await kernel.untilStarted(2);
    kernel.finish('ok');
    await kernel.untilStarted(3);
    kernel.finish('ok');
    const results = await first;
    expect([...results.keys()]).toEqual(['a', 'b']);
    expect(results.get(ids.a)?.outputs).toHaveLength(1);
    expect((await second).get(ids.c)?.status).toBe('ok');
    expect(kernel.started).toEqual(['a', 'b', 'c']);
    expect(events).toEqual([
      'queued a',
      'queued b',
      'start a', // a started before the second request came
      'queued c',
      'count a 1',
      'outputs a 1',
      'done a ok',
      'start b',
      'count b 2',
      'done b ok',
      'start c',
      'count c 3',
      'done c ok',
    ]);
  });

  it('aborts every cell still queued, from this and later requests, when a cell errors', async () => {
    const kernel = new FakeKernel();
    const queue = new ExecutionQueue(kernel);
    const { events, listener } = recorder();
    const first = queue.run([{ id: ids.a, code: 'a' }, { id: ids.b, code: 'b' }], listener);
    const second = queue.run([{ id: ids.c, code: 'c' }], listener);
    await kernel.untilStarted(1);
    kernel.finish('error', [error]);
    const results = await first;
    expect(results.get(ids.a)?.status).toBe('error');
    expect(results.get(ids.b)).toMatchObject({ status: 'aborted', message: 'Not run because cell a raised an error' });
    expect((await second).get(ids.c)?.status).toBe('aborted');
    expect(kernel.started).toEqual(['a']);
    expect(events.slice(-3)).toEqual(['done a error', 'done b aborted', 'done c aborted']);

    // The queue is usable again afterwards.
    const third = queue.run([{ id: ids.d, code: 'd' }]);
    await kernel.untilStarted(2);
    kernel.finish('ok');
    expect((await third).get(ids.d)?.status).toBe('ok');
  });

  it('says so when the failing cell was interrupted', async () => {
    const kernel = new FakeKernel();
    const queue = new ExecutionQueue(kernel);
    const run = queue.run([{ id: ids.a, code: 'while True: pass' }, { id: ids.b, code: 'b' }]);
    await kernel.untilStarted(1);
    kernel.finish('error', [interrupt]);
    expect((await run).get(ids.b)?.message).toBe('Not run because cell a was interrupted');
  });

  it('aborts the rest when the kernel dies under a cell', async () => {
    const kernel = new FakeKernel();
    const queue = new ExecutionQueue(kernel);
    const run = queue.run([{ id: ids.a, code: 'a' }, { id: ids.b, code: 'b' }]);
    await kernel.untilStarted(1);
    kernel.finish('aborted', [], 'The kernel died and was restarted');
    const results = await run;
    expect(results.get(ids.a)).toMatchObject({ status: 'aborted', message: 'The kernel died and was restarted' });
    expect(results.get(ids.b)?.message).toBe(
      'Not run because cell a did not finish: The kernel died and was restarted',
    );
  });

  it('cancelAll aborts the waiting cells but not the running one, and later requests still run', async () => {
    const kernel = new FakeKernel();
    const queue = new ExecutionQueue(kernel);
    const run = queue.run([{ id: ids.a, code: 'a' }, { id: ids.b, code: 'b' }, { id: ids.c, code: 'c' }]);
    await kernel.untilStarted(1);
    queue.cancelAll('Kernel restarted');
    const after = queue.run([{ id: ids.d, code: 'd' }]);
    kernel.finish('aborted', [], 'The kernel was restarted');
    await kernel.untilStarted(2);
    kernel.finish('ok');
    const results = await run;
    expect(results.get(ids.b)).toMatchObject({ status: 'aborted', message: 'Kernel restarted' });
    expect(results.get(ids.c)?.status).toBe('aborted');
    expect((await after).get(ids.d)?.status).toBe('ok');
    expect(kernel.started).toEqual(['a', 'd']);
  });

  it('abortWaiting drops the cells behind the running one, which ends as the interrupt leaves it (here it had finished)', async () => {
    const kernel = new FakeKernel();
    const queue = new ExecutionQueue(kernel);
    const run = queue.run([{ id: ids.a, code: 'a' }, { id: ids.b, code: 'b' }, { id: ids.c, code: 'c' }]);
    await kernel.untilStarted(1);
    queue.abortWaiting('Not run because the kernel was interrupted');
    kernel.finish('ok');
    const results = await run;
    expect(results.get(ids.a)?.status).toBe('ok');
    expect(results.get(ids.b)).toMatchObject({ status: 'aborted', message: 'Not run because the kernel was interrupted' });
    expect(results.get(ids.c)?.status).toBe('aborted');
    expect(kernel.started).toEqual(['a']);
  });

  it('queues while the kernel starts, and fails the cells when it cannot', async () => {
    const kernel = new FakeKernel();
    let startKernel: (k: KernelHandle) => void = () => {};
    const queue = new ExecutionQueue(() => new Promise<KernelHandle>((resolve) => (startKernel = resolve)));
    const run = queue.run([{ id: ids.a, code: 'a' }]);
    expect(queue.running).toBe('a');
    startKernel(kernel);
    await kernel.untilStarted(1);
    kernel.finish('ok');
    expect((await run).get(ids.a)?.status).toBe('ok');

    const broken = new ExecutionQueue(() => Promise.reject(new Error('No module named ipykernel')));
    const failed = await broken.run([{ id: ids.a, code: 'a' }, { id: ids.b, code: 'b' }]);
    expect(failed.get(ids.a)).toMatchObject({
      status: 'error',
      message: 'The kernel is not available: No module named ipykernel',
    });
    expect(failed.get(ids.b)?.status).toBe('aborted');
  });

  it('does not send a cell canceled while the kernel was starting', async () => {
    const kernel = new FakeKernel();
    let startKernel: (k: KernelHandle) => void = () => {};
    const queue = new ExecutionQueue(() => new Promise<KernelHandle>((resolve) => (startKernel = resolve)));
    const run = queue.run([{ id: ids.a, code: 'a' }]);
    queue.cancelAll('The notebook was closed');
    startKernel(kernel);
    expect((await run).get(ids.a)).toMatchObject({ status: 'aborted', message: 'The notebook was closed' });
    expect(kernel.started).toEqual([]);
  });

  it('keeps going when a listener throws', async () => {
    const kernel = new FakeKernel();
    const queue = new ExecutionQueue(kernel);
    const errors: unknown[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const run = queue.run([{ id: ids.a, code: 'a' }], {
        onStart: () => {
          throw new Error('listener bug');
        },
      });
      await kernel.untilStarted(1);
      kernel.finish('ok');
      expect((await run).get(ids.a)?.status).toBe('ok');
      expect(errors).toHaveLength(1);
    } finally {
      console.error = originalError;
    }
  });
});
