/**
 * Shapes of REST resources that both the server and the web client use (the wire format, in one place).
 */

export type FileKind = 'file' | 'directory' | 'notebook';

/** One entry of `GET /api/files?path=`. */
export interface FileListing {
  /** Workspace-relative, `/`-separated. */
  path: string;
  name: string;
  kind: FileKind;
  /** Bytes (a folder's own entry size, as `stat` says). */
  size: number;
  /** ISO 8601. */
  last_modified: string;
}

/** A local OpenAI-compatible server found by probing its usual port. */
export interface DetectedServer {
  name: string;
  base_url: string;
  models: string[];
}

/** `GET /api/agent/status`: what the UI and API show about the model provider. Holds no secret. */
export interface ProviderStatus {
  configured: boolean;
  base_url: string | null;
  model: string | null;
  /** Only whether a key is set, never the key. */
  has_api_key: boolean;
  vision: boolean;
  /** Local servers found when nothing is configured. */
  detected?: DetectedServer[];
  /** Settings that were ignored, in words. */
  problems?: string[];
  /** How to configure (or change) the model, in a sentence or two. */
  help: string;
}
