import { describe, expect, it } from 'vitest';
import type { KernelInfo } from '../protocol/index.ts';
import { KernelPool } from './pool.ts';
import type { KernelHandle, KernelProvider, StartKernelOptions } from './types.ts';

class FakeHandle implements KernelHandle {
  readonly id: string;
  readonly name: string;
  info: KernelInfo;
  relocatedTo: string | undefined;
  shutDown = false;
  readonly #listeners = new Set<(info: KernelInfo) => void>();
  constructor(id: string, name: string) {
    this.id = id;
    this.name = name;
    this.info = { state: 'idle', name };
  }
  onInfo(listener: (info: KernelInfo) => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  die() {
    this.info = { state: 'dead', name: this.name, message: 'gone' };
    for (const listener of this.#listeners) listener(this.info);
  }
  execute = async () => ({ status: 'ok' as const, execution_count: 1, outputs: [] });
  interrupt = async () => {};
  restart = async () => {};
  shutdown = async () => {
    this.shutDown = true;
  };
  relocate = async (path: string) => {
    this.relocatedTo = path;
  };
}

/** A provider whose starts finish when the test says so. */
function fakeProvider(defaultSpec = 'python3') {
  const starts: { options: StartKernelOptions; finish: (ok?: boolean) => FakeHandle | undefined }[] = [];
  let n = 0;
  const provider: KernelProvider = {
    startKernel: (options) =>
      new Promise((resolve, reject) => {
        starts.push({
          options,
          finish: (ok = true) => {
            if (!ok) return void reject(new Error('no kernel today'));
            const handle = new FakeHandle(`k${++n}`, options.name ?? defaultSpec);
            resolve(handle);
            return handle;
          },
        });
      }),
    listKernelSpecs: async () => ({ default: defaultSpec, specs: [{ name: defaultSpec, display_name: 'P', language: 'python' }] }),
    dispose: async () => {},
  };
  return { provider, starts };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('KernelPool', () => {
  it('hands a warm kernel to one notebook, moved to its folder, and starts a replacement', async () => {
    const { provider, starts } = fakeProvider();
    const pool = new KernelPool({ provider, size: 1 });
    pool.fill();
    await settle();
    expect(starts).toHaveLength(1);
    expect(starts[0]?.options.notebookPath).toMatch(/^\.cellmate-pool-.*\.ipynb$/);
    const warm = starts[0]?.finish();
    await settle();
    expect(pool.status).toMatchObject({ ready: 1 });

    const handle = await pool.startKernel({ notebookPath: 'sales/report.ipynb', name: 'python3' });
    expect(handle).toBe(warm);
    expect(warm?.relocatedTo).toBe('sales/report.ipynb');
    await settle();
    expect(starts).toHaveLength(2);
    expect(pool.status).toMatchObject({ ready: 0, starting: 1 });
  });

  it('never shares: notebooks that arrive while kernels start each get their own', async () => {
    const { provider, starts } = fakeProvider();
    const pool = new KernelPool({ provider, size: 1 });
    pool.fill();
    await settle();
    const first = pool.startKernel({ notebookPath: 'a.ipynb' });
    const second = pool.startKernel({ notebookPath: 'b.ipynb' });
    await settle();
    // the pooled start, the refill the first claim asked for; the second claim starts its own kernel
    const ready = starts.map((s) => s.finish());
    const [a, b] = await Promise.all([first, second]);
    expect(a).not.toBe(b);
    expect(new Set(ready.map((h) => h?.id)).size).toBe(ready.length);
  });

  it('leaves other kernelspecs to the provider', async () => {
    const { provider, starts } = fakeProvider();
    const pool = new KernelPool({ provider, size: 1 });
    const other = pool.startKernel({ notebookPath: 'r.ipynb', name: 'ir' });
    await settle();
    expect(starts.map((s) => s.options)).toEqual([{ notebookPath: 'r.ipynb', name: 'ir' }]);
    const handle = starts[0]?.finish();
    expect(await other).toBe(handle);
  });

  it('replaces an idle kernel that dies, and retries a failed start later', async () => {
    const { provider, starts } = fakeProvider();
    const pool = new KernelPool({ provider, size: 1, retryMs: 10 });
    pool.fill();
    await settle();
    const idle = starts[0]?.finish();
    await settle();
    idle?.die();
    await settle();
    expect(idle?.shutDown).toBe(true);
    expect(starts).toHaveLength(2);
    starts[1]?.finish(false);
    await settle();
    expect(pool.status).toMatchObject({ ready: 0, starting: 0 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(starts).toHaveLength(3);
    await pool.dispose();
  });

  it('shuts its idle kernels down on dispose', async () => {
    const { provider, starts } = fakeProvider();
    const pool = new KernelPool({ provider, size: 2 });
    pool.fill();
    await settle();
    const handles = starts.map((s) => s.finish());
    await settle();
    await pool.dispose();
    expect(handles.map((h) => h?.shutDown)).toEqual([true, true]);
  });
});
