import type { SessionManager } from '../sessions/session-manager.ts';
import type { Workspace } from '../store/storage.ts';
import type { KernelRuntime } from '../kernels/runtime.ts';
import type { InputLimits } from '../limits.ts';
import type { HostPolicy } from './host-check.ts';
import type { HubOAuth } from '../hub/hub-oauth.ts';
import type { InlineCompleter } from '../agent/inline-completion.ts';

/** What the routes need; built once by `server/main.ts` (and by tests with their own workspace). */
export interface AppDeps {
  token: string;
  sessions: SessionManager;
  workspace: Workspace;
  /** The built UI (`web/dist`); the UI routes answer 503 with a hint when it isn't built. */
  webDist?: string;
  /** Largest upload accepted by `PUT /api/files/{path}` (bytes); default 100 MiB. */
  maxUploadBytes?: number;
  /** Bodies, messages and notebooks (`CELLMATE_MAX_*`); default: the workspace's. */
  limits?: InputLimits;
  /** The names requests may give in `Host` (`CELLMATE_HOST`, `CELLMATE_ALLOWED_HOSTS`); default: a loopback bind. */
  hosts?: HostPolicy;
  /** Kernelspecs and the kernel side's status (`GET /api/kernelspecs`); the route answers 503 without it. */
  kernelRuntime?: Pick<KernelRuntime, 'listKernelSpecs' | 'status'>;
  /** Ghost text from the model (`CELLMATE_INLINE_COMPLETION`); default: off, on the assistant's provider. */
  inlineCompleter?: InlineCompleter;
  /** The path the app is served under (`CELLMATE_BASE_PATH`; see base-path.ts), written into the page; default `/`. */
  basePath?: string;
  /** Under JupyterHub: the hub's login instead of the token (the API and page need a hub session). */
  hub?: HubOAuth;
  /** Called on every API request and notebook socket message but pings (the hub's activity reports). */
  onActivity?: () => void;
}
