/**
 * The answers of the REST API that the server and the web client both use (the wire format, in one place): zod
 * schemas, their types inferred from them. The server builds its answers with these types; the browser checks
 * what it receives with the same schemas.
 */
import * as z from 'zod/mini';

export const fileKindSchema = z.enum(['file', 'directory', 'notebook']);
export type FileKind = z.infer<typeof fileKindSchema>;

/** One entry of `GET /api/files?path=`. */
export const fileListingSchema = z.object({
  /** Workspace-relative, `/`-separated. */
  path: z.string(),
  name: z.string(),
  kind: fileKindSchema,
  /** Bytes (a folder's own entry size, as `stat` says). */
  size: z.number(),
  /** ISO 8601. */
  last_modified: z.string(),
});
export type FileListing = z.infer<typeof fileListingSchema>;

/** `POST /api/files/{path}?kind=directory`: the new folder's path as stored. */
export const createdPathSchema = z.object({ path: z.string() });
export type CreatedPath = z.infer<typeof createdPathSchema>;

/** `POST /api/files/rename`: what moved where. */
export const fileMoveSchema = z.object({ from: z.string(), to: z.string(), kind: fileKindSchema });
export type FileMove = z.infer<typeof fileMoveSchema>;

/** One entry of `GET /api/notebooks`. */
export const notebookSummarySchema = z.object({ path: z.string(), name: z.string(), last_modified: z.string() });
export type NotebookSummary = z.infer<typeof notebookSummarySchema>;

/** A local OpenAI-compatible server found by probing its usual port. */
export const detectedServerSchema = z.object({ name: z.string(), base_url: z.string(), models: z.array(z.string()) });
export type DetectedServer = z.infer<typeof detectedServerSchema>;

/** `GET /api/agent/status`: what the UI and API show about the model provider. Holds no secret. */
export const providerStatusSchema = z.object({
  configured: z.boolean(),
  base_url: z.nullable(z.string()),
  model: z.nullable(z.string()),
  /** Only whether a key is set, never the key. */
  has_api_key: z.boolean(),
  vision: z.boolean(),
  /** Local servers found when nothing is configured. */
  detected: z.optional(z.array(detectedServerSchema)),
  /** Settings that were ignored, in words. */
  problems: z.optional(z.array(z.string())),
  /** How to configure (or change) the model, in a sentence or two. */
  help: z.string(),
});
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

/** `GET /api/agent/models`. */
export const agentModelsSchema = z.object({ models: z.array(z.string()) });

/** A kernelspec the Jupyter Server offers. */
export const kernelSpecSummarySchema = z.object({ name: z.string(), display_name: z.string(), language: z.string() });
export type KernelSpecSummary = z.infer<typeof kernelSpecSummarySchema>;

/** Whether kernels run in the sandbox, and why. */
export const sandboxStatusSchema = z.object({
  enabled: z.boolean(),
  /** Why it is on or off, in words. */
  reason: z.string(),
  /** Whether sandboxed kernels may use the network. */
  network: z.optional(z.boolean()),
  limits: z.optional(
    z.object({ memory_mb: z.number(), max_processes: z.number(), max_file_mb: z.number(), processes: z.enum(['cgroup', 'rlimit', 'none']) }),
  ),
});
export type SandboxStatus = z.infer<typeof sandboxStatusSchema>;

export const jupyterStateSchema = z.enum(['running', 'restarting', 'unreachable', 'failed']);
export type JupyterState = z.infer<typeof jupyterStateSchema>;
/** The Jupyter Server as the API reports it. */
export const jupyterStatusSchema = z.object({
  state: jupyterStateSchema,
  embedded: z.boolean(),
  /** What went wrong, in words, when not running. */
  message: z.optional(z.string()),
  /** Restarts of the embedded server so far. */
  restarts: z.int().check(z.minimum(0)),
  /** The server is a kernel gateway (`JUPYTER_GATEWAY`, or found to be one): kernels only, no sessions. */
  gateway: z.optional(z.boolean()),
});
export type JupyterStatus = z.infer<typeof jupyterStatusSchema>;

/** The warm kernel pool. */
export const poolStatusSchema = z.object({ size: z.number(), ready: z.number(), starting: z.number(), kernel: z.optional(z.string()) });
export type PoolStatus = z.infer<typeof poolStatusSchema>;

/** `GET /api/kernelspecs`: the kernelspecs, the default one, and the state of the kernel side. */
export const kernelsOverviewSchema = z.object({
  default: z.string(),
  specs: z.array(kernelSpecSummarySchema),
  sandbox: sandboxStatusSchema,
  jupyter: jupyterStatusSchema,
  pool: poolStatusSchema,
});
export type KernelsOverview = z.infer<typeof kernelsOverviewSchema>;
