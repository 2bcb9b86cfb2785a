/**
 * The baseline for kernel work: the same code run straight against the Jupyter Server with `@jupyterlab/services`
 * from Node, as JupyterLab would (a kernel of its own, `requestExecute(...).done`, i.e. until the reply and idle).
 * The server is the one Cellmate embeds, so both sides use the same kernels and its TCP_NODELAY kernel channel.
 */
import { KernelAPI, KernelConnection, type KernelMessage } from '@jupyterlab/services';
import { makeJupyterSettings, type JupyterConnection } from '../server/kernels/settings.ts';

export interface DirectKernel {
  /** Runs `code` until the reply and idle; how many IOPub messages came for it. */
  run(code: string): Promise<{ iopub: number }>;
  dispose(): Promise<void>;
}

export async function startDirectKernel(connection: JupyterConnection): Promise<DirectKernel> {
  const settings = makeJupyterSettings(connection);
  const model = await KernelAPI.startNew({ name: 'python3' }, settings);
  const kernel = new KernelConnection({ model, serverSettings: settings });
  const deadline = Date.now() + 60_000;
  while (kernel.connectionStatus !== 'connected') {
    if (Date.now() > deadline) throw new Error('the direct kernel did not connect');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await kernel.requestKernelInfo();
  return {
    async run(code) {
      let iopub = 0;
      const future = kernel.requestExecute({ code, stop_on_error: true });
      future.onIOPub = (_msg: KernelMessage.IIOPubMessage) => void iopub++;
      const reply = await future.done;
      if (reply.content.status !== 'ok') throw new Error(`direct run failed: ${JSON.stringify(reply.content)}`);
      return { iopub };
    },
    async dispose() {
      await kernel.shutdown().catch(() => undefined);
      kernel.dispose();
    },
  };
}
