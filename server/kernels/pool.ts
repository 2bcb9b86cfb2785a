/**
 * A warm pool: a few idle kernels of the server's default kernelspec, started ahead of time, so a notebook's first
 * run doesn't wait for a kernel to start. Each pooled kernel goes to exactly one notebook (never shared) and is
 * replaced in the background.
 *
 * Pooled kernels start for no notebook (a session path in the workspace root, so their working directory is the
 * root); on claim, `relocate` renames their Jupyter session to the notebook and changes their working directory
 * to the notebook's folder. No user code has run in them yet, so nothing else depends on where they started.
 */
import { randomUUID } from 'node:crypto';
import type { PoolStatus } from '../protocol/resources.ts';
import type { KernelHandle, KernelProvider, KernelSpecSummary, StartKernelOptions } from './types.ts';

export interface KernelPoolOptions {
  /** Where kernels come from: pooled ones, and those of other kernelspecs. */
  provider: KernelProvider;
  /** Idle kernels kept ready; 0 turns the pool off. */
  size: number;
  /** Wait after a failed start before trying again; doubles per failure up to 60 s. Default 1 s. */
  retryMs?: number;
  log?: (message: string) => void;
}

/** What the API shows of the pool (the wire shape is in the protocol). */
export type { PoolStatus };

/**
 * @example
 *   const kernels = new KernelPool({ provider, size: 1 });
 *   kernels.fill();
 *   const kernel = await kernels.startKernel({ notebookPath: 'sales/report.ipynb' }); // a warm one, cwd sales/
 */
export class KernelPool implements KernelProvider {
  readonly #options: KernelPoolOptions;
  readonly #idle: KernelHandle[] = [];
  readonly #waiters: ((handle: KernelHandle | undefined) => void)[] = [];
  readonly #unwatch = new Map<KernelHandle, () => void>();
  #starting = 0;
  #spec: Promise<string | undefined> | undefined;
  #failures = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(options: KernelPoolOptions) {
    this.#options = options;
  }

  get status(): PoolStatus {
    return { size: this.#options.size, ready: this.#idle.length, starting: this.#starting };
  }

  /** Starts filling the pool in the background. */
  fill(): void {
    if (this.#disposed || this.#options.size <= 0 || this.#retryTimer) return;
    while (this.#idle.length + this.#starting - this.#waiters.length < this.#options.size) void this.#startOne();
  }

  async startKernel(options: StartKernelOptions): Promise<KernelHandle> {
    const { provider } = this.#options;
    if (this.#disposed || this.#options.size <= 0) return provider.startKernel(options);
    const pooledSpec = await this.#pooledSpec();
    if (pooledSpec === undefined || (options.name !== undefined && options.name !== pooledSpec)) return provider.startKernel(options);
    const handle = await this.#claim();
    this.fill();
    if (!handle?.relocate) {
      if (handle) void handle.shutdown().catch(() => undefined);
      return provider.startKernel(options);
    }
    try {
      await handle.relocate(options.notebookPath);
      return handle;
    } catch (error) {
      this.#options.log?.(`a pooled kernel could not be moved to ${options.notebookPath}: ${String(error)}`);
      void handle.shutdown().catch(() => undefined);
      return provider.startKernel(options);
    }
  }

  listKernelSpecs(): Promise<{ default: string; specs: KernelSpecSummary[] }> {
    return this.#options.provider.listKernelSpecs();
  }

  /** Shuts the idle kernels down; kernels already handed out belong to their notebooks. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    clearTimeout(this.#retryTimer);
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
    const idle = this.#idle.splice(0);
    for (const handle of idle) this.#release(handle);
    await Promise.all(idle.map((handle) => handle.shutdown().catch(() => undefined)));
  }

  /** An idle kernel, else the next one that finishes starting (sooner than a new start), else undefined. */
  #claim(): Promise<KernelHandle | undefined> {
    const handle = this.#idle.shift();
    if (handle) {
      this.#release(handle);
      return Promise.resolve(handle);
    }
    if (this.#starting <= this.#waiters.length) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async #startOne(): Promise<void> {
    this.#starting++;
    let handle: KernelHandle | undefined;
    try {
      const name = await this.#pooledSpec();
      const notebookPath = `.cellmate-pool-${randomUUID()}.ipynb`;
      handle = await this.#options.provider.startKernel(name ? { name, notebookPath } : { notebookPath });
      this.#failures = 0;
    } catch (error) {
      this.#failures++;
      if (!this.#disposed) this.#options.log?.(`could not start a kernel for the pool: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.#starting--;
    }
    if (this.#disposed) {
      await handle?.shutdown().catch(() => undefined);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter(handle);
    else if (handle) this.#keep(handle);
    if (!handle) this.#retryLater();
  }

  #keep(handle: KernelHandle): void {
    this.#idle.push(handle);
    // An idle kernel can die too (its server restarted): drop it and start another.
    const unsubscribe = handle.onInfo((info) => {
      if (info.state !== 'dead') return;
      const index = this.#idle.indexOf(handle);
      if (index >= 0) this.#idle.splice(index, 1);
      this.#release(handle);
      void handle.shutdown().catch(() => undefined);
      this.fill();
    });
    this.#unwatch.set(handle, unsubscribe);
  }

  #release(handle: KernelHandle): void {
    this.#unwatch.get(handle)?.();
    this.#unwatch.delete(handle);
  }

  #retryLater(): void {
    if (this.#disposed || this.#retryTimer) return;
    const delayMs = Math.min(60_000, (this.#options.retryMs ?? 1_000) * 2 ** Math.max(0, this.#failures - 1));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.fill();
    }, delayMs);
    this.#retryTimer.unref?.();
  }

  /** The server's default kernelspec: the one pooled. Undefined when it can't be learned (no pooling then). */
  #pooledSpec(): Promise<string | undefined> {
    this.#spec ??= this.#options.provider.listKernelSpecs().then(
      (specs) => specs.default,
      () => {
        this.#spec = undefined;
        return undefined;
      },
    );
    return this.#spec;
  }
}
