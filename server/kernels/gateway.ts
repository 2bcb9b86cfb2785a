/**
 * Kernel gateways: Jupyter Enterprise Gateway (kernels as Kubernetes pods, or on YARN/Spark) and Kernel Gateway
 * serve only `/api`, `/api/kernels[/{id}[/interrupt|/restart|/channels]]` and `/api/kernelspecs`: no sessions, no
 * contents, no `/api/status`. Against one, kernels are started with `POST /api/kernels` and moved to their
 * notebook's folder from inside (see `relocationCode`), and the server is watched through `GET /api`.
 *
 * Whether a server is a gateway is told (`JUPYTER_GATEWAY`) or learned: a gateway says `gateway_version` at
 * `/api`, and a server that answers `/api` but not `/api/sessions` can't host sessions either way.
 */
import { ServerConnection, type Kernel } from '@jupyterlab/services';
import { KernelError } from '../errors.ts';
import type { JupyterConnection } from './settings.ts';

/** The path a server is watched through: a gateway has no `/api/status`, and `/api` is all both share. */
export function healthPath(isGateway: boolean): string {
  return isGateway ? 'api' : 'api/status';
}

/**
 * Asks the server what it is. Undefined when it can't be reached (the caller decides; see `runtime.ts`).
 *
 * @example
 *   await detectGateway({ baseUrl: 'http://eg:8888/', token }) // true for Enterprise Gateway
 */
export async function detectGateway(connection: JupyterConnection): Promise<boolean | undefined> {
  const base = connection.baseUrl.replace(/\/?$/, '/');
  const headers = connection.token ? { Authorization: `token ${connection.token}` } : undefined;
  const get = (path: string) => fetch(`${base}${path}`, { ...(headers ? { headers } : {}), signal: AbortSignal.timeout(5_000) });
  try {
    const api = await get('api');
    const body: unknown = await api.json().catch(() => undefined);
    if (!api.ok) return undefined;
    if (typeof body === 'object' && body !== null && 'gateway_version' in body) return true;
    const sessions = await get('api/sessions');
    await sessions.body?.cancel();
    return sessions.status === 404;
  } catch {
    return undefined;
  }
}

/**
 * `POST /api/kernels` as a gateway takes it: the kernelspec's name, and `KERNEL_*` variables for the launch
 * (Enterprise Gateway passes only those through). `KERNEL_LAUNCH_TIMEOUT` (seconds) asks the gateway to wait
 * for the kernel as long as Cellmate will, instead of its own `EG_KERNEL_LAUNCH_TIMEOUT`.
 */
export async function startGatewayKernel(
  name: string | undefined,
  settings: ServerConnection.ISettings,
  startTimeoutMs: number,
): Promise<Kernel.IModel> {
  const url = `${settings.baseUrl.replace(/\/?$/, '/')}api/kernels`;
  const env = { KERNEL_LAUNCH_TIMEOUT: String(Math.max(1, Math.ceil(startTimeoutMs / 1000))) };
  const body = JSON.stringify(name ? { name, env } : { env });
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, { method: 'POST', body, signal: AbortSignal.timeout(startTimeoutMs) }, settings);
  } catch (error) {
    throw new KernelError(`Could not start a kernel on the gateway at ${settings.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const model: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const why = typeof model === 'object' && model !== null && 'message' in model && typeof model.message === 'string' ? model.message : `HTTP ${response.status}`;
    throw new KernelError(`The gateway at ${settings.baseUrl} could not start a kernel: ${why}`);
  }
  if (!isKernelModel(model)) throw new KernelError(`The gateway at ${settings.baseUrl} answered a kernel start without a kernel`);
  return model;
}

function isKernelModel(value: unknown): value is Kernel.IModel {
  return typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' && 'name' in value && typeof value.name === 'string';
}
