/**
 * How much a client may send: request bodies, WebSocket messages and notebooks (the `CELLMATE_MAX_*` settings
 * in server/config.ts). Generous for real work, a stop for a body, file or message built to exhaust the server.
 */
export interface InputLimits {
  /** Largest JSON request body and largest WebSocket message (bytes). */
  maxBodyBytes: number;
  /** Largest notebook: a `PUT /api/notebooks/{path}` body, an `.ipynb` opened from the workspace (bytes). */
  maxNotebookBytes: number;
  /** Most cells a notebook may have (read, put, or grown by edits). */
  maxCells: number;
  /** Deepest JSON nesting accepted in bodies, messages and notebooks (`[[1]]` nests 2 deep). */
  maxJsonDepth: number;
}

/** What parsing a notebook needs of the limits (its size is checked before its bytes are read). */
export type ParseLimits = Pick<InputLimits, 'maxCells' | 'maxJsonDepth'>;

export const DEFAULT_LIMITS: Readonly<InputLimits> = {
  // A cell's source, a prompt, a list of cell ids: a few megabytes at the very most.
  maxBodyBytes: 16 * 2 ** 20,
  // Notebooks carry their outputs (charts as base64): the same room as a file upload.
  maxNotebookBytes: 100 * 2 ** 20,
  // Real notebooks have hundreds of cells, the largest a few thousand.
  maxCells: 10_000,
  // A notebook itself nests about 6 levels; outputs and metadata add a few dozen at most.
  maxJsonDepth: 100,
};

/** The limits with `overrides` on top of the defaults. */
export function resolveLimits(overrides: Partial<InputLimits> = {}): InputLimits {
  return {
    maxBodyBytes: overrides.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes,
    maxNotebookBytes: overrides.maxNotebookBytes ?? DEFAULT_LIMITS.maxNotebookBytes,
    maxCells: overrides.maxCells ?? DEFAULT_LIMITS.maxCells,
    maxJsonDepth: overrides.maxJsonDepth ?? DEFAULT_LIMITS.maxJsonDepth,
  };
}
