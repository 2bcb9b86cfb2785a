/**
 * `@jupyterlab/services`' `KernelConnection`, made fit for a server process that must survive any kernel.
 *
 * After the Jupyter Server auto-restarts a dead kernel, the library reconnects and sends `kernel_info_request`;
 * when that request goes out before the new kernel listens, no reply ever comes:
 * - the connection stays `starting` until some other message gets an answer, so nudge it with another request;
 * - if the kernel dies again meanwhile, the library cancels that pending request and rethrows the cancellation
 *   into a promise nobody handles. In Node an unhandled rejection ends the process: the whole server would go
 *   down with one crashing kernel. A canceled request has nothing to report, so it resolves empty here.
 */
import { KernelConnection, type Kernel, type KernelMessage } from '@jupyterlab/services';

const NUDGE_INTERVAL_MS = 2_000;
const NUDGES = 5;

export class RobustKernelConnection extends KernelConnection {
  #nudgeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: Kernel.IKernelConnection.IOptions) {
    super(options);
    this.connectionStatusChanged.connect(this.#onConnectionStatus, this);
  }

  override async requestKernelInfo(): Promise<KernelMessage.IInfoReplyMsg | undefined> {
    try {
      return await super.requestKernelInfo();
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('Canceled future')) return undefined;
      throw error;
    }
  }

  override dispose(): void {
    clearTimeout(this.#nudgeTimer);
    super.dispose();
  }

  #onConnectionStatus(_: Kernel.IKernelConnection, status: Kernel.ConnectionStatus): void {
    clearTimeout(this.#nudgeTimer);
    if (status === 'connected') this.#nudge(NUDGES);
  }

  /** While the kernel's status is still unknown after connecting, ask it again (a reply brings `idle`). */
  #nudge(remaining: number): void {
    this.#nudgeTimer = setTimeout(() => {
      if (this.isDisposed || this.connectionStatus !== 'connected') return;
      if (this.status !== 'starting' && this.status !== 'unknown') return;
      void this.requestKernelInfo().catch(() => undefined);
      if (remaining > 1) this.#nudge(remaining - 1);
    }, NUDGE_INTERVAL_MS);
  }
}
